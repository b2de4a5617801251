using Hearsay.Core.Stt.Whisper.TextDecoders;

namespace Hearsay.Core.Tests.Stt.Whisper.DecodingRules;

/// <summary>Logit estimates whose exact values the test knows: refining writes the exact value and counts it.</summary>
internal sealed class KnownLogits(float[] exact, float[] errors) : ILogitEstimates
{
    public int Refined => RefinedTokens.Count;

    public List<int> RefinedTokens { get; } = [];

    public ReadOnlySpan<float> LogitErrors => errors;

    public void Refine(Span<float> logits, int token)
    {
        if (errors[token] == 0)
        {
            return;
        }

        logits[token] = exact[token];
        errors[token] = 0;
        RefinedTokens.Add(token);
    }

    public void KeepStep(ReadOnlySpan<float> filteredLogits) =>
        throw new InvalidOperationException("The refinement rules do not keep steps.");

    public double[] TakeLogSumExps() =>
        throw new InvalidOperationException("The refinement rules do not keep steps.");
}

/// <summary>Logits that are all exact already (the logit filters' tests).</summary>
internal sealed class AlreadyExactLogits(int count) : ILogitEstimates
{
    private readonly float[] _errors = new float[count];

    public ReadOnlySpan<float> LogitErrors => _errors;

    public void Refine(Span<float> logits, int token) =>
        throw new InvalidOperationException("Exact logits were asked to be refined.");

    public void KeepStep(ReadOnlySpan<float> filteredLogits) =>
        throw new InvalidOperationException("The logit filters do not keep steps.");

    public double[] TakeLogSumExps() =>
        throw new InvalidOperationException("The logit filters do not keep steps.");
}
