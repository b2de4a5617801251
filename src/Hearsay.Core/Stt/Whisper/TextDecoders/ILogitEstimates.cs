namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>
/// The logits a decoder step returned may be estimates, each within a known distance of the exact value. This is how
/// the decoding rules learn those distances, ask for exact values where a decision depends on them, and get each
/// step's exact softmax normalizer without every step reading the whole float32 vocabulary.
/// </summary>
internal interface ILogitEstimates
{
    /// <summary>For every token, how far the last returned logit may be from the exact one; 0 where it is exact.</summary>
    ReadOnlySpan<float> LogitErrors { get; }

    /// <summary>Writes the exact logit of <paramref name="token"/> into <paramref name="logits"/>; its error becomes 0.</summary>
    void Refine(Span<float> logits, int token);

    /// <summary>Makes every unmasked (finite) logit in <paramref name="logits"/> exact.</summary>
    void RefineAll(Span<float> logits)
    {
        var errors = LogitErrors;
        for (var i = 0; i < logits.Length; i++)
        {
            if (errors[i] > 0 && float.IsFinite(logits[i]))
            {
                Refine(logits, i);
            }
        }
    }

    /// <summary>
    /// Remembers the last step with its filtered logits (−∞ entries are masked; the largest must be exact), so that
    /// <see cref="TakeLogSumExps"/> returns its exact log Σ exp over the unmasked tokens.
    /// </summary>
    void KeepStep(ReadOnlySpan<float> filteredLogits);

    /// <summary>log Σ exp of the exact logits of every step kept since the last call, in order; forgets them.</summary>
    double[] TakeLogSumExps();
}
