namespace Hearsay.Core.Stt.Whisper.DecodingRules;

/// <summary>OpenAI's judgement of a decoded window: retry hotter, keep, or treat as silence.</summary>
internal static class FallbackPolicy
{
    /// <summary>The temperatures to try, from <see cref="TranscribeOptions.Temperature"/> up to 1.0 in steps of 0.2.</summary>
    public static IEnumerable<double> Temperatures(TranscribeOptions options)
    {
        yield return options.Temperature;
        if (options.TemperatureFallback)
        {
            for (var step = 1; options.Temperature + (0.2 * step) <= 1.0 + 1e-6; step++)
            {
                yield return options.Temperature + (0.2 * step);
            }
        }
    }

    /// <summary>Too repetitive or too unlikely, unless it is silence (then retrying cannot help).</summary>
    public static bool NeedsFallback(WindowDecodeResult result, TranscribeOptions options)
    {
        var failed = result.CompressionRatio > options.CompressionRatioThreshold || result.AvgLogprob < options.LogProbThreshold;
        return failed && !IsSilence(result, options);
    }

    /// <summary>The no-speech probability is high and the text is unlikely: the window is skipped.</summary>
    public static bool ShouldSkip(WindowDecodeResult result, TranscribeOptions options) =>
        result.NoSpeechProb > options.NoSpeechThreshold && !(result.AvgLogprob > options.LogProbThreshold);

    private static bool IsSilence(WindowDecodeResult result, TranscribeOptions options) =>
        result.NoSpeechProb > options.NoSpeechThreshold && result.AvgLogprob < options.LogProbThreshold;
}
