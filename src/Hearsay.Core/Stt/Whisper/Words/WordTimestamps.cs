namespace Hearsay.Core.Stt.Whisper.Words;

/// <summary>
/// OpenAI's <c>add_word_timestamps</c>: a window's aligned words shared out to its segments, their durations kept
/// plausible, and the segments' times refined from their words. Times are rounded to 10 ms, as OpenAI's.
/// </summary>
internal static class WordTimestamps
{
    /// <summary>A word longer than this many seconds counts as long whatever the median says.</summary>
    private const double LongestMedian = 0.7;

    private const string SentenceEndMarks = ".。!！?？";

    /// <summary>
    /// Gives each of <paramref name="segments"/> its words from <paramref name="alignment"/> (times in seconds from the
    /// window's start) and refines the segments' times.
    /// </summary>
    /// <param name="segments">The window's segments, times on the audio's timeline.</param>
    /// <param name="alignment">The window's words, from <see cref="WindowWordAligner"/>; changed in place.</param>
    /// <param name="timeOffset">The window's start on the audio's timeline.</param>
    /// <param name="lastSpeech">The end of the speech before this window (<see cref="LastEnd"/> of the one before; 0 at the start of the audio).</param>
    public static void Add(IReadOnlyList<SegmentWords> segments, List<TimedWord> alignment, double timeOffset, double lastSpeech)
    {
        if (segments.Count == 0)
        {
            return;
        }

        var durations = alignment.Select(word => word.End - word.Start).Where(duration => duration != 0).Order().ToArray();
        var median = Math.Min(LongestMedian, Median(durations));
        var longest = median * 2;
        if (durations.Length > 0)
        {
            // A word at a sentence boundary may not last more than twice the median.
            for (var i = 1; i < alignment.Count; i++)
            {
                if (alignment[i].End - alignment[i].Start > longest)
                {
                    if (SentenceEndMarks.Contains(alignment[i].Word, StringComparison.Ordinal))
                    {
                        alignment[i].End = alignment[i].Start + longest;
                    }
                    else if (SentenceEndMarks.Contains(alignment[i - 1].Word, StringComparison.Ordinal))
                    {
                        alignment[i].Start = alignment[i].End - longest;
                    }
                }
            }
        }

        PunctuationMerger.Merge(alignment);
        var index = 0;
        foreach (var segment in segments)
        {
            var saved = 0;
            var words = segment.Words;
            while (index < alignment.Count && saved < segment.TextTokens.Count)
            {
                var timing = alignment[index];
                if (timing.Word.Length > 0)
                {
                    words.Add(new TimedWord(timing.Word, timing.Tokens)
                    {
                        Start = Round(timeOffset + timing.Start),
                        End = Round(timeOffset + timing.End),
                    });
                }

                saved += timing.Tokens.Count;
                index++;
            }

            if (words.Count == 0)
            {
                continue;
            }

            ShortenAfterPause(words, lastSpeech, median, longest);
            Refine(segment, words, median);
            lastSpeech = segment.End;
        }
    }

    /// <summary>The end of the last word of <paramref name="segments"/>, else of the last segment (OpenAI's <c>get_end</c>).</summary>
    public static double LastEnd(IReadOnlyList<SegmentWords> segments) =>
        segments.SelectMany(segment => segment.Words).Select(word => (double?)word.End).LastOrDefault() ?? segments[^1].End;

    /// <summary>The first and second word after a pause may not last more than twice the median.</summary>
    private static void ShortenAfterPause(List<TimedWord> words, double lastSpeech, double median, double longest)
    {
        var (first, second) = (words[0], words.Count > 1 ? words[1] : null);
        if (first.End - lastSpeech > median * 4 &&
            (first.End - first.Start > longest || (second is not null && second.End - first.Start > longest * 2)))
        {
            if (second is not null && second.End - second.Start > longest)
            {
                var boundary = Math.Max(second.End / 2, second.End - longest);
                first.End = second.Start = boundary;
            }

            first.Start = Math.Max(0, first.End - longest);
        }
    }

    /// <summary>The segment's times from its words, unless a word runs more than 0.5 s past them: then the word is cut.</summary>
    private static void Refine(SegmentWords segment, List<TimedWord> words, double median)
    {
        var (first, last) = (words[0], words[^1]);
        if (segment.Start < first.End && segment.Start - 0.5 > first.Start)
        {
            first.Start = Math.Max(0, Math.Min(first.End - median, segment.Start));
        }
        else
        {
            segment.Start = first.Start;
        }

        if (segment.End > last.Start && segment.End + 0.5 < last.End)
        {
            last.End = Math.Max(last.Start + median, segment.End);
        }
        else
        {
            segment.End = last.End;
        }
    }

    private static double Median(double[] sorted) =>
        sorted.Length == 0 ? 0
        : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
        : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

    private static double Round(double seconds) => Math.Round(seconds, 2, MidpointRounding.ToEven);
}
