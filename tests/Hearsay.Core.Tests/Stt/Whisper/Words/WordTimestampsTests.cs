using Hearsay.Core.Stt.Whisper.Words;

namespace Hearsay.Core.Tests.Stt.Whisper.Words;

public class WordTimestampsTests
{
    private static TimedWord Word(string word, double start, double end, params int[] tokens) => new(word, [.. tokens]) { Start = start, End = end };

    [Fact]
    public void Add_WordsSharedBySegments_ByTheirTokensAndOffset()
    {
        var segments = new[] { new SegmentWords(10.0, 10.5, [1, 2]), new SegmentWords(10.5, 11.0, [3]) };
        List<TimedWord> alignment = [Word(" a", 0.0, 0.2, 1), Word(" b", 0.2, 0.4, 2), Word(" c", 0.5, 0.9, 3)];

        WordTimestamps.Add(segments, alignment, timeOffset: 10.0, lastSpeech: 9.9);

        Assert.Equal([" a", " b"], segments[0].Words.Select(word => word.Word));
        Assert.Equal([" c"], segments[1].Words.Select(word => word.Word));
        Assert.Equal(10.5, segments[1].Words[0].Start);
        // Segment times come from their words.
        Assert.Equal((10.0, 10.4), (segments[0].Start, segments[0].End));
        Assert.Equal((10.5, 10.9), (segments[1].Start, segments[1].End));
        Assert.Equal(10.9, WordTimestamps.LastEnd(segments));
    }

    [Fact]
    public void Add_WordRunningFarPastItsSegment_IsCutAtTheSegmentEnd()
    {
        var segments = new[] { new SegmentWords(0, 1.0, [1, 2]) };
        List<TimedWord> alignment = [Word(" a", 0.0, 0.3, 1), Word(" b", 0.3, 2.5, 2)];

        WordTimestamps.Add(segments, alignment, timeOffset: 0, lastSpeech: 0);

        // The median duration is min(0.7, median(0.3, 2.2)) = 0.7: the last word ends at max(0.3 + 0.7, 1.0).
        Assert.Equal(1.0, segments[0].Words[1].End);
        Assert.Equal(1.0, segments[0].End);
    }

    [Fact]
    public void Add_WordAfterASentenceEndLongerThanTwiceTheMedian_StartsLater()
    {
        var segments = new[] { new SegmentWords(0, 3.0, [1, 2, 3, 4]) };
        List<TimedWord> alignment =
        [
            Word(" a", 0.0, 0.2, 1), Word(" b", 0.2, 0.4, 2), Word(".", 0.4, 0.6, 3), Word(" c", 0.6, 2.0, 4),
        ];

        WordTimestamps.Add(segments, alignment, timeOffset: 0, lastSpeech: 0);

        // Median 0.2, so " c" after "." lasts at most 0.4; "." joins " b" and keeps its times.
        Assert.Equal([" a", " b.", " c"], segments[0].Words.Select(word => word.Word));
        Assert.Equal((0.2, 0.4), (segments[0].Words[1].Start, segments[0].Words[1].End));
        Assert.Equal((1.6, 2.0), (segments[0].Words[2].Start, segments[0].Words[2].End));
        Assert.Equal(2.0, segments[0].End);
    }
}
