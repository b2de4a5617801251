namespace Hearsay.Testing;

/// <summary>How close a decoded signal is to a reference decode of the same file.</summary>
public static class SignalComparison
{
    /// <summary>
    /// Signal-to-noise ratio in dB of <paramref name="actual"/> against <paramref name="expected"/>, sample by sample
    /// (no shifting: a decoder that drops or adds samples at the start scores badly, as it should). Both must have the
    /// same length. Identical signals give <see cref="double.PositiveInfinity"/>.
    /// </summary>
    public static double SnrDb(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        if (expected.Length != actual.Length)
        {
            throw new ArgumentException($"The decodes differ in length: {expected.Length} expected, {actual.Length} actual samples.", nameof(actual));
        }

        double signal = 0;
        double noise = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            signal += (double)expected[i] * expected[i];
            var difference = (double)expected[i] - actual[i];
            noise += difference * difference;
        }

        return noise == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / noise);
    }
}
