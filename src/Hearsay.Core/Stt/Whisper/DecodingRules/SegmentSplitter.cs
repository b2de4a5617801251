using Hearsay.Core.Stt.Whisper.Model;

namespace Hearsay.Core.Stt.Whisper.DecodingRules;

/// <summary>A segment of one window, in the window's own time (seconds from the window's start).</summary>
/// <param name="Start">Seconds from the window start.</param>
/// <param name="End">Seconds from the window start.</param>
/// <param name="Tokens">The segment's tokens, timestamps included.</param>
internal sealed record WindowSegment(double Start, double End, IReadOnlyList<int> Tokens);

/// <summary>
/// Cuts a decoded window into segments at consecutive timestamp tokens and says how far to advance, as OpenAI's
/// <c>transcribe</c> loop does.
/// </summary>
internal static class SegmentSplitter
{
    /// <param name="result">The window's decoding.</param>
    /// <param name="info">Timestamp ids and precision.</param>
    /// <param name="windowFrames">Frames of real audio in the window (at most 3000).</param>
    /// <returns>The segments and the number of frames to advance the window by.</returns>
    public static (IReadOnlyList<WindowSegment> Segments, int AdvanceFrames) Split(
        WindowDecodeResult result, WhisperModelInfo info, int windowFrames)
    {
        var tokens = result.Tokens;
        var begin = info.TimestampBegin;
        var precision = info.TimePrecision;
        bool IsTimestamp(int index) => tokens[index] >= begin;

        var singleTimestampEnding = EndsWithSingleTimestamp(tokens, info);
        var cuts = new List<int>();
        for (var i = 1; i < tokens.Count; i++)
        {
            if (IsTimestamp(i - 1) && IsTimestamp(i))
            {
                cuts.Add(i);
            }
        }

        var segments = new List<WindowSegment>();
        if (cuts.Count > 0)
        {
            if (singleTimestampEnding)
            {
                cuts.Add(tokens.Count);
            }

            var last = 0;
            foreach (var cut in cuts)
            {
                var slice = tokens.Skip(last).Take(cut - last).ToArray();
                segments.Add(new WindowSegment((slice[0] - begin) * precision, (slice[^1] - begin) * precision, slice));
                last = cut;
            }

            var advance = singleTimestampEnding ? windowFrames : (tokens[last - 1] - begin) * info.InputStride;
            return (segments, advance);
        }

        // No pair of timestamps: one segment for the whole window, ending at its last timestamp if it has one.
        var duration = Features.WhisperAudio.FramesToSeconds(windowFrames);
        var lastTimestamp = tokens.LastOrDefault(token => token >= begin, -1);
        if (lastTimestamp > begin)
        {
            duration = (lastTimestamp - begin) * precision;
        }

        segments.Add(new WindowSegment(0, duration, tokens.ToArray()));
        return (segments, windowFrames);
    }

    /// <summary>Whether the window ends with a lone timestamp after text: nothing is said after it, so the whole window
    /// is consumed.</summary>
    public static bool EndsWithSingleTimestamp(IReadOnlyList<int> tokens, WhisperModelInfo info) =>
        tokens.Count >= 2 && tokens[^2] < info.TimestampBegin && tokens[^1] >= info.TimestampBegin;
}
