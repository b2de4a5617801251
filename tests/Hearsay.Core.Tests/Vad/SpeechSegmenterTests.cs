using Hearsay.Core.Vad;

namespace Hearsay.Core.Tests.Vad;

public sealed class SpeechSegmenterTests
{
    private const int W = 512;

    private static readonly VadOptions[] OptionSets =
    [
        VadOptions.Default,
        new() { SpeechPad = TimeSpan.Zero },
        new() { SpeechPad = TimeSpan.FromMilliseconds(100) },
        new() { SpeechPad = TimeSpan.FromMilliseconds(700), MinSilenceDuration = TimeSpan.FromMilliseconds(300) },
        new() { MinSilenceDuration = TimeSpan.Zero, MinSpeechDuration = TimeSpan.Zero },
        new() { MaxSpeechDuration = TimeSpan.FromSeconds(1), MinSilenceDuration = TimeSpan.FromMilliseconds(500) },
        new() { MaxSpeechDuration = TimeSpan.FromSeconds(1.5), SplitAtLongestSilence = false, SpeechPad = TimeSpan.FromMilliseconds(200) },
        new() { MaxSpeechDuration = TimeSpan.FromMilliseconds(100), SpeechPad = TimeSpan.Zero, MinSilenceAtMaxSpeech = TimeSpan.Zero },
        new() { Threshold = 0.3f, NegativeThreshold = 0.3f, MinSpeechDuration = TimeSpan.FromMilliseconds(33) },
    ];

    public static TheoryData<int> Seeds => [.. Enumerable.Range(0, 300)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Push_RandomProbabilities_EqualsOfflineReference(int seed)
    {
        var random = new Random(seed);
        var options = OptionSets[seed % OptionSets.Length];
        var probabilities = RandomProbabilities(random);
        var sampleCount = probabilities.Length == 0 ? 0 : ((long)probabilities.Length * W) - random.Next(W);

        var incremental = Incremental(probabilities, sampleCount, options, out _);

        Assert.Equal(SpeechTimestamps.FromProbabilities(probabilities, sampleCount, options), incremental);
    }

    [Fact]
    public void Push_SegmentFollowedByTwoPadsOfSilence_IsHandedOutBeforeTheEnd()
    {
        // The silence from frame 10 closes the segment at frame 14; by then the next segment cannot start before
        // frame 15, more than two pads (960 samples) after 5120, so the padded end is settled.
        var segmenter = new SpeechSegmenter(VadParameters.From(null));
        var final = new List<SpeechSegment>();
        var probabilities = SpeechTimestampsTests.Frames((0.9f, 10), (0.1f, 10));

        for (var i = 0; i < 14; i++)
        {
            segmenter.Push(probabilities[i], W, final);
        }

        var beforeClose = final.Count;
        segmenter.Push(probabilities[14], W, final);

        Assert.Equal(0, beforeClose);
        Assert.Equal([new SpeechSegment(0, 5600)], final);
    }

    [Fact]
    public void Push_NextSpeechWithinTwoPads_WaitsUntilThatSegmentIsKept()
    {
        // 700 ms pads (11200 samples). The first segment closes at frame 14, but speech resumes at frame 16, within
        // two pads: its end depends on that segment, which is kept only when it closes at frame 30. The gap,
        // 8192 − 5120 = 3072 samples, is then split evenly. The second waits until no segment can start within two
        // pads of its end (frame 69), and gets the full pad.
        var segmenter = new SpeechSegmenter(VadParameters.From(new VadOptions { SpeechPad = TimeSpan.FromMilliseconds(700) }));
        var probabilities = SpeechTimestampsTests.Frames((0.9f, 10), (0.1f, 6), (0.9f, 10), (0.1f, 60));
        var final = new List<SpeechSegment>();
        var handedOut = new List<(int Frame, SpeechSegment Segment)>();

        for (var i = 0; i < probabilities.Length; i++)
        {
            segmenter.Push(probabilities[i], W, final);
            handedOut.AddRange(final.Select(s => (i, s)));
            final.Clear();
        }

        Assert.Equal([(30, new SpeechSegment(0, 6656)), (69, new SpeechSegment(6656, 13312 + 11200))], handedOut);
    }

    [Fact]
    public void RetainFrom_IsTheEarliestStartOfASegmentNotHandedOut()
    {
        var segmenter = new SpeechSegmenter(VadParameters.From(new VadOptions { SpeechPad = TimeSpan.FromMilliseconds(100) }));
        var final = new List<SpeechSegment>();
        var atStart = segmenter.RetainFrom;

        Push(segmenter, final, 0.1f, 10);
        var afterSilence = segmenter.RetainFrom;
        Push(segmenter, final, 0.9f, 10);
        var duringSpeech = segmenter.RetainFrom;
        Push(segmenter, final, 0.1f, 5);
        var closedAndWaiting = segmenter.RetainFrom;
        var waiting = final.Count;
        Push(segmenter, final, 0.1f, 2);

        // Speech from 5120, padded by 1600; closed at 10240, handed out once nothing can start before 10240 + 3200.
        Assert.Equal((0L, 3520L, 3520L, 3520L, 0), (atStart, afterSilence, duringSpeech, closedAndWaiting, waiting));
        Assert.Equal([new SpeechSegment(3520, 11840)], final);
        Assert.Equal((27 * W) - 1600, segmenter.RetainFrom);
    }

    [Fact]
    public void Push_AfterAPartialFrame_Throws()
    {
        var segmenter = new SpeechSegmenter(VadParameters.From(null));
        segmenter.Push(0.1f, 100, []);

        Assert.Throws<InvalidOperationException>(() => segmenter.Push(0.1f, W, []));
    }

    [Fact]
    public void Reset_StartsOver()
    {
        var probabilities = SpeechTimestampsTests.Frames((0.1f, 3), (0.9f, 20), (0.1f, 3));
        var segmenter = new SpeechSegmenter(VadParameters.From(null));
        var first = new List<SpeechSegment>();
        var second = new List<SpeechSegment>();

        Push(segmenter, first, 0.9f, 15);
        segmenter.Reset();
        foreach (var probability in probabilities)
        {
            segmenter.Push(probability, W, second);
        }

        segmenter.Complete(second);

        Assert.Equal(SpeechTimestamps.FromProbabilities(probabilities, probabilities.Length * W), second);
    }

    /// <summary>
    /// Feeds <paramref name="probabilities"/> one frame at a time (the last frame partial if
    /// <paramref name="sampleCount"/> says so) and checks <see cref="SpeechSegmenter.RetainFrom"/> as a caller relies
    /// on it: it never moves back, and no segment handed out later starts before it.
    /// </summary>
    internal static List<SpeechSegment> Incremental(
        float[] probabilities, long sampleCount, VadOptions? options, out int handedOutBeforeComplete)
    {
        var segmenter = new SpeechSegmenter(VadParameters.From(options));
        var segments = new List<SpeechSegment>();
        var final = new List<SpeechSegment>();
        var retainFrom = segmenter.RetainFrom;
        for (var i = 0; i < probabilities.Length; i++)
        {
            var frameSamples = i == probabilities.Length - 1 ? (int)(sampleCount - ((long)i * W)) : W;
            segmenter.Push(probabilities[i], frameSamples, final);
            Check(final, retainFrom, segments);
            Assert.True(segmenter.RetainFrom >= retainFrom, $"RetainFrom moved back from {retainFrom} to {segmenter.RetainFrom} at frame {i}.");
            retainFrom = segmenter.RetainFrom;
        }

        handedOutBeforeComplete = segments.Count;
        segmenter.Complete(final);
        Check(final, retainFrom, segments);
        return segments;

        static void Check(List<SpeechSegment> final, long retainFrom, List<SpeechSegment> segments)
        {
            foreach (var segment in final)
            {
                Assert.True(segment.Start >= retainFrom, $"{segment} starts before RetainFrom {retainFrom}.");
            }

            segments.AddRange(final);
            final.Clear();
        }
    }

    private static void Push(SpeechSegmenter segmenter, List<SpeechSegment> final, float probability, int frames)
    {
        for (var i = 0; i < frames; i++)
        {
            segmenter.Push(probability, W, final);
        }
    }

    /// <summary>Runs of speech, silence and in-between values, from single frames to a few seconds.</summary>
    private static float[] RandomProbabilities(Random random)
    {
        float[] levels = [0.01f, 0.1f, 0.3f, 0.35f, 0.4f, 0.5f, 0.6f, 0.95f];
        var probabilities = new List<float>();
        var runs = random.Next(0, 60);
        for (var r = 0; r < runs; r++)
        {
            var level = levels[random.Next(levels.Length)];
            var length = random.Next(4) == 0 ? random.Next(1, 120) : random.Next(1, 12);
            for (var i = 0; i < length; i++)
            {
                probabilities.Add(random.Next(5) == 0 ? levels[random.Next(levels.Length)] : level);
            }
        }

        return [.. probabilities];
    }
}
