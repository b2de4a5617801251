namespace Hearsay.Core.Stt.Whisper.DecodingRules;

/// <summary>One window decoded at one temperature (OpenAI's <c>DecodingResult</c>).</summary>
/// <param name="Tokens">The sampled tokens, timestamps included, end-of-text excluded.</param>
/// <param name="Text">The decoded text, trimmed.</param>
/// <param name="AvgLogprob">Sum of the chosen tokens' log-probabilities (end-of-text included) over (tokens + 1).</param>
/// <param name="NoSpeechProb">Probability of the no-speech token at the start-of-transcript position.</param>
/// <param name="Temperature">The sampling temperature; 0 is greedy.</param>
/// <param name="CompressionRatio">See <see cref="DecodingRules.CompressionRatio"/>.</param>
internal sealed record WindowDecodeResult(
    IReadOnlyList<int> Tokens, string Text, double AvgLogprob, double NoSpeechProb, double Temperature, double CompressionRatio);
