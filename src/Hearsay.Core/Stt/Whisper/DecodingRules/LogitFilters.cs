using Hearsay.Core.Stt.Whisper.Model;
using Hearsay.Core.Stt.Whisper.TextDecoders;

namespace Hearsay.Core.Stt.Whisper.DecodingRules;

/// <summary>A rule that masks logits before the next token is chosen (OpenAI's <c>LogitFilter</c>).</summary>
internal interface ILogitFilter
{
    /// <param name="logits">The next token's logits; masked entries become -∞.</param>
    /// <param name="sampled">The tokens chosen so far in this window (after the prompt and start sequence).</param>
    /// <param name="estimates">How far each logit may be from exact, and a way to make it exact.</param>
    void Apply(Span<float> logits, IReadOnlyList<int> sampled, ILogitEstimates estimates);
}

/// <summary>The first sampled token may not be a blank or end-of-text (OpenAI's <c>SuppressBlank</c>).</summary>
internal sealed class SuppressBlankFilter(int blankToken, int endOfText) : ILogitFilter
{
    public void Apply(Span<float> logits, IReadOnlyList<int> sampled, ILogitEstimates estimates)
    {
        if (sampled.Count == 0)
        {
            logits[blankToken] = float.NegativeInfinity;
            logits[endOfText] = float.NegativeInfinity;
        }
    }
}

/// <summary>Tokens that are never sampled: non-speech symbols and the special tokens (OpenAI's <c>SuppressTokens</c>).</summary>
internal sealed class SuppressTokensFilter : ILogitFilter
{
    private readonly int[] _tokens;

    public SuppressTokensFilter(WhisperModelInfo info) =>
        _tokens = info.NonSpeechTokens
            .Concat([info.Transcribe, info.Translate, info.Sot, info.SotPrev, info.SotLm, info.NoSpeech])
            .Distinct()
            .Order()
            .ToArray();

    public void Apply(Span<float> logits, IReadOnlyList<int> sampled, ILogitEstimates estimates)
    {
        foreach (var token in _tokens)
        {
            logits[token] = float.NegativeInfinity;
        }
    }
}

/// <summary>
/// OpenAI's <c>ApplyTimestampRules</c>: timestamps come in pairs except right before end-of-text, never decrease, the
/// window starts with a timestamp no later than <c>max_initial_timestamp</c>, and when the timestamps together are more
/// likely than any single text token, a timestamp is chosen.
/// </summary>
internal sealed class TimestampRulesFilter(WhisperModelInfo info, int? maxInitialTimestampIndex) : ILogitFilter
{
    public void Apply(Span<float> logits, IReadOnlyList<int> sampled, ILogitEstimates estimates)
    {
        var begin = info.TimestampBegin;
        logits[info.NoTimestamps] = float.NegativeInfinity;

        var count = sampled.Count;
        var lastWasTimestamp = count >= 1 && sampled[count - 1] >= begin;
        var penultimateWasTimestamp = count < 2 || sampled[count - 2] >= begin;
        if (lastWasTimestamp)
        {
            // After a pair, text must follow; after a lone timestamp, only another timestamp or end-of-text.
            (penultimateWasTimestamp ? logits[begin..] : logits[..info.Eot]).Fill(float.NegativeInfinity);
        }

        var lastTimestamp = LastTimestamp(sampled, begin);
        if (lastTimestamp >= 0)
        {
            // Timestamps never decrease, and a segment never has zero length.
            var firstAllowed = lastWasTimestamp && !penultimateWasTimestamp ? lastTimestamp : lastTimestamp + 1;
            logits[begin..Math.Min(firstAllowed, logits.Length)].Fill(float.NegativeInfinity);
        }

        if (count == 0)
        {
            logits[..begin].Fill(float.NegativeInfinity);
            if (maxInitialTimestampIndex is { } index && begin + index + 1 < logits.Length)
            {
                logits[(begin + index + 1)..].Fill(float.NegativeInfinity);
            }
        }

        if (LogitRefinement.TimestampsOutweighText(estimates, logits, begin))
        {
            logits[..begin].Fill(float.NegativeInfinity);
        }
    }

    private static int LastTimestamp(IReadOnlyList<int> sampled, int begin)
    {
        for (var i = sampled.Count - 1; i >= 0; i--)
        {
            if (sampled[i] >= begin)
            {
                return sampled[i];
            }
        }

        return -1;
    }
}
