using System.Globalization;

namespace Hearsay.Core.Vad;

/// <summary><see cref="VadOptions"/> checked and converted to samples at 16 kHz, as Silero computes them.</summary>
internal sealed record VadParameters(
    float Threshold,
    float NegativeThreshold,
    double MinSpeechSamples,
    double MinSilenceSamples,
    double SpeechPadSamples,
    double MaxSpeechSamples,
    double MinSilenceSamplesAtMaxSpeech,
    bool SplitAtLongestSilence)
{
    /// <summary>Samples per model frame.</summary>
    public const int FrameSize = SileroVadModel.FrameSize;

    /// <summary>Checks <paramref name="options"/>; throws <see cref="HearsayException"/> (InvalidInput) naming the bad value.</summary>
    public static VadParameters From(VadOptions? options)
    {
        options ??= VadOptions.Default;
        var threshold = options.Threshold;
        if (!(threshold > 0 && threshold < 1))
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"Threshold {threshold} is out of range: use a value above 0 and below 1."));
        }

        var negative = options.NegativeThreshold ?? MathF.Max(threshold - 0.15f, 0.01f);
        if (!(negative > 0 && negative <= threshold))
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"Negative threshold {negative} is out of range: use a value above 0 and at most the threshold {threshold}."));
        }

        var minSpeech = Samples(options.MinSpeechDuration, "Minimum speech duration");
        var minSilence = Samples(options.MinSilenceDuration, "Minimum silence duration");
        var pad = Samples(options.SpeechPad, "Speech pad");
        var minSilenceAtMax = Samples(options.MinSilenceAtMaxSpeech, "Minimum silence at maximum speech");
        var maxSpeech = double.PositiveInfinity;
        if (options.MaxSpeechDuration is { } max)
        {
            // Silero's limit on the unpadded segment: the duration less one frame and both pads.
            maxSpeech = Samples(max, "Maximum speech duration") - FrameSize - (2 * pad);
            if (maxSpeech <= 0)
            {
                throw Invalid(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Maximum speech duration {max.TotalMilliseconds} ms is too short: it must exceed twice the speech pad plus one 32 ms frame ({(FrameSize + (2 * pad)) / 16.0} ms)."));
            }
        }

        return new VadParameters(threshold, negative, minSpeech, minSilence, pad, maxSpeech, minSilenceAtMax, options.SplitAtLongestSilence);
    }

    /// <summary>Whole samples of padding, when the pad is subtracted from a start (Silero's <c>int(max(0, start - pad))</c>).</summary>
    public long PadBefore(long start) => (long)Math.Max(0, start - SpeechPadSamples);

    private static double Samples(TimeSpan duration, string name)
    {
        if (duration < TimeSpan.Zero)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"{name} {duration.TotalMilliseconds} ms is out of range: it cannot be negative."));
        }

        // Ticks × 16000 / 10^7 without going through fractional seconds, so 100 ms is exactly 1600 samples.
        return duration.Ticks * (SileroVadModel.SampleRate / 1000.0) / TimeSpan.TicksPerMillisecond;
    }

    private static HearsayException Invalid(string message) => new(HearsayErrorCode.InvalidInput, message);
}
