using Hearsay.Core.Stt.Whisper.Model;
using Hearsay.Core.Stt.Whisper.TextDecoders;

namespace Hearsay.Core.Stt.Whisper.Words;

/// <summary>
/// Aligns a decoded window's text tokens with its audio (OpenAI's <c>find_alignment</c>, without the word
/// probabilities): the decoder runs once more over [start-of-transcript sequence, no-timestamps, text, end-of-text],
/// the alignment heads' cross-attention gives the <see cref="AlignmentMatrix"/>, <see cref="DynamicTimeWarping"/> finds
/// each token's first frame, and each word lasts from its first token's frame to the next word's.
/// </summary>
internal sealed class WindowWordAligner(WhisperModelInfo info, WhisperTokenizer tokenizer)
{
    /// <summary>Audio frames per second of the encoder's output (20 ms each).</summary>
    private const double FramesPerSecond = 50;

    /// <summary>
    /// The words of <paramref name="textTokens"/>, with times in seconds from the window's start; empty when there is
    /// no text. The decoder must hold the window's encoder output.
    /// </summary>
    /// <param name="decoder">The decoder over the window.</param>
    /// <param name="sotSequence">The window's start-of-transcript sequence (language and task included).</param>
    /// <param name="textTokens">The window's text tokens (no timestamps).</param>
    /// <param name="windowFrames">Mel frames of real audio in the window (at most 3000).</param>
    /// <param name="language">The language code, which decides how tokens make words.</param>
    /// <param name="cancellationToken">Stops before the decoder pass.</param>
    public List<TimedWord> Align(
        ICrossAttentionScores decoder, IReadOnlyList<int> sotSequence, IReadOnlyList<int> textTokens, int windowFrames, string language, CancellationToken cancellationToken)
    {
        if (textTokens.Count == 0)
        {
            return [];
        }

        List<int> tokens = [.. sotSequence, info.NoTimestamps, .. textTokens, info.Eot];
        var frames = windowFrames / 2;
        var heads = info.WordAlignmentHeads;
        var scores = decoder.CrossAttentionScores(tokens, heads, frames, cancellationToken);
        var matrix = AlignmentMatrix.Build(scores, heads.Count, tokens.Count, frames, decoder.Threads);
        // The rows from no-timestamps to the last text token: the positions that predict each text token and end-of-text.
        var rows = textTokens.Count + 1;
        var cost = new float[rows * frames];
        var first = sotSequence.Count * frames;
        for (var i = 0; i < cost.Length; i++)
        {
            cost[i] = -matrix[first + i];
        }

        var (textIndices, timeIndices) = DynamicTimeWarping.Align(cost, rows, frames);
        var words = WordSplitter.Split([.. textTokens, info.Eot], tokenizer, info.Eot, language);
        if (words.Count <= 1)
        {
            return [];
        }

        // The frame at which the path first reaches each token.
        var jumpTimes = new List<double>();
        for (var i = 0; i < textIndices.Length; i++)
        {
            if (i == 0 || textIndices[i] != textIndices[i - 1])
            {
                jumpTimes.Add(timeIndices[i] / FramesPerSecond);
            }
        }

        var boundary = 0;
        words.RemoveAt(words.Count - 1);
        foreach (var word in words)
        {
            word.Start = jumpTimes[boundary];
            boundary += word.Tokens.Count;
            word.End = jumpTimes[boundary];
        }

        return words;
    }
}
