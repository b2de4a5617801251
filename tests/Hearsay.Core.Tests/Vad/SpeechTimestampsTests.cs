using Hearsay.Core.Vad;

namespace Hearsay.Core.Tests.Vad;

/// <summary>
/// Silero's segmentation on synthetic probability sequences, with expectations worked out by hand from
/// <c>get_speech_timestamps</c>. Every case runs through both the offline reference and the incremental segmenter,
/// which must agree.
/// </summary>
public sealed class SpeechTimestampsTests
{
    private const int W = 512;
    private const float Speech = 0.9f;
    private const float Silence = 0.1f;

    [Fact]
    public void FromProbabilities_SpeechLongerThanMinimum_IsKeptAndPadded()
    {
        // Speech in frames 10–17; silence from frame 18 (sample 9216) closes it at frame 22, 100 ms later.
        var segments = Segment(Frames((Silence, 10), (Speech, 8), (Silence, 20)));

        Assert.Equal([new SpeechSegment(5120 - 480, 9216 + 480)], segments);
    }

    [Fact]
    public void FromProbabilities_SpeechNotLongerThanMinimum_IsDropped()
    {
        var sevenFrames = Segment(Frames((Silence, 10), (Speech, 7), (Silence, 20)));
        // Eight frames are 256 ms: Silero keeps only segments strictly longer than the minimum.
        var exactlyMinimum = Segment(
            Frames((Silence, 10), (Speech, 8), (Silence, 20)), new VadOptions { MinSpeechDuration = TimeSpan.FromMilliseconds(256) });

        Assert.Empty(sevenFrames);
        Assert.Empty(exactlyMinimum);
    }

    [Fact]
    public void FromProbabilities_PauseShorterThanMinSilence_StaysInsideTheSegment()
    {
        // Four silent frames: 96 ms from the first to the last is under 100 ms, so nothing closes.
        var segments = Segment(Frames((Speech, 10), (Silence, 4), (Speech, 10), (Silence, 10)));

        Assert.Equal([new SpeechSegment(0, 12288 + 480)], segments);
    }

    [Fact]
    public void FromProbabilities_PauseOfMinSilence_SplitsAndPadsBothSides()
    {
        // Five silent frames: the fifth is 128 ms after the first, so the segment closes at the silence's start.
        var segments = Segment(Frames((Speech, 10), (Silence, 5), (Speech, 10), (Silence, 10)));

        Assert.Equal([new SpeechSegment(0, 5120 + 480), new SpeechSegment(7680 - 480, 12800 + 480)], segments);
    }

    [Fact]
    public void FromProbabilities_NeighboursCloserThanTwoPads_ShareTheGapEvenly()
    {
        // 100 ms pads: the 2560-sample gap is under 3200, so each side takes half of it.
        var options = new VadOptions { SpeechPad = TimeSpan.FromMilliseconds(100) };

        var segments = Segment(Frames((Silence, 4), (Speech, 10), (Silence, 5), (Speech, 10), (Silence, 10)), options);

        Assert.Equal([new SpeechSegment(2048 - 1600, 7168 + 1280), new SpeechSegment(9728 - 1280, 14848 + 1600)], segments);
    }

    [Fact]
    public void FromProbabilities_PaddingAtTheEdges_IsClampedToTheAudio()
    {
        // Speech from the first sample to the last; the audio ends 100 samples into its last frame.
        var segments = Segment(Frames((Speech, 20)), sampleCount: (19 * W) + 100);

        Assert.Equal([new SpeechSegment(0, (19 * W) + 100)], segments);
    }

    [Fact]
    public void FromProbabilities_EndOfInputMidSpeech_EndsTheSegmentAtTheLastSample()
    {
        var segments = Segment(Frames((Silence, 20), (Speech, 30)), sampleCount: (49 * W) + 7);

        Assert.Equal([new SpeechSegment(10240 - 480, (49 * W) + 7)], segments);
    }

    [Fact]
    public void FromProbabilities_EndOfInputInAShortPause_EndsAtTheLastSampleNotAtThePause()
    {
        // Silero closes an open segment at the end of the audio even when a pause had begun.
        var segments = Segment(Frames((Silence, 2), (Speech, 10), (Silence, 2)));

        Assert.Equal([new SpeechSegment(1024 - 480, 14 * W)], segments);
    }

    [Fact]
    public void FromProbabilities_EndOfInputAfterTooLittleSpeech_DropsIt()
    {
        Assert.Empty(Segment(Frames((Silence, 20), (Speech, 7))));
    }

    [Fact]
    public void FromProbabilities_BetweenThresholds_NeitherStartsNorEndsSpeech()
    {
        var neverStarts = Segment(Frames((Silence, 5), (0.4f, 10), (Silence, 5)));
        var neverEnds = Segment(Frames((Speech, 10), (0.4f, 20), (Silence, 10)));

        Assert.Empty(neverStarts);
        Assert.Equal([new SpeechSegment(0, 15360 + 480)], neverEnds);
    }

    [Fact]
    public void FromProbabilities_BetweenThresholdsAfterSilenceBegan_DoesNotCancelTheSilence()
    {
        // Frame 10 starts a silence; the 0.4 frames neither cancel it nor are checked; frame 21 closes it at 5120.
        var segments = Segment(Frames((Speech, 10), (Silence, 1), (0.4f, 10), (Silence, 1), (Speech, 10), (Silence, 10)));

        Assert.Equal([new SpeechSegment(0, 5120 + 480), new SpeechSegment(11264 - 480, 16384 + 480)], segments);
    }

    [Fact]
    public void FromProbabilities_RaisedNegativeThreshold_EndsSpeechSooner()
    {
        var segments = Segment(
            Frames((Speech, 10), (0.4f, 20), (Silence, 10)), new VadOptions { NegativeThreshold = 0.45f });

        Assert.Equal([new SpeechSegment(0, 5120 + 480)], segments);
    }

    [Fact]
    public void FromProbabilities_LongSpeech_SplitsAtSilenceThenCutsHard()
    {
        // Unpadded, 2 s maximum: Silero's limit is 32000 − 512 samples. The 128 ms pause (frames 30–33) is a possible
        // split; the 96 ms one (frames 50–52) is under 98 ms and is not. After the split, nothing is left to split
        // at, so the next pieces are cut hard, each new segment starting at the frame after the cut.
        var options = new VadOptions
        {
            SpeechPad = TimeSpan.Zero,
            MinSilenceDuration = TimeSpan.FromSeconds(1),
            MaxSpeechDuration = TimeSpan.FromSeconds(2),
        };

        var segments = Segment(
            Frames((Silence, 10), (Speech, 20), (Silence, 4), (Speech, 16), (Silence, 3), (Speech, 148)), options);

        Assert.Equal(
            [new SpeechSegment(5120, 15360), new SpeechSegment(17408, 49152), new SpeechSegment(49664, 81408), new SpeechSegment(81920, 102912)],
            segments);
    }

    [Theory]
    [InlineData(true, new long[] { 0, 5120, 8192, 13312, 15360, 40960 })]
    [InlineData(false, new long[] { 0, 13312, 15360, 40960 })]
    public void FromProbabilities_LongSpeechWithTwoPauses_SplitsAtTheLongestOrTheLast(bool longest, long[] bounds)
    {
        // Pauses of 192 ms (from 5120) and 128 ms (from 13312); the limit is reached at frame 62.
        var options = new VadOptions
        {
            SpeechPad = TimeSpan.Zero,
            MinSilenceDuration = TimeSpan.FromSeconds(1),
            MaxSpeechDuration = TimeSpan.FromSeconds(2),
            SplitAtLongestSilence = longest,
        };

        var segments = Segment(Frames((Speech, 10), (Silence, 6), (Speech, 10), (Silence, 4), (Speech, 50)), options);

        Assert.Equal(bounds.Chunk(2).Select(b => new SpeechSegment(b[0], b[1])), segments);
    }

    [Fact]
    public void FromProbabilities_MaxSpeechWithPads_LeavesRoomForThem()
    {
        // 2 s less one frame and two 30 ms pads: cut after 30528 samples, at frame 60; the next piece starts a frame
        // later, and the pieces share that 512-sample gap.
        var segments = Segment(Frames((Speech, 100)), new VadOptions { MaxSpeechDuration = TimeSpan.FromSeconds(2) });

        Assert.Equal([new SpeechSegment(0, 30720 + 256), new SpeechSegment(31232 - 256, 51200)], segments);
    }

    [Fact]
    public void FromProbabilities_NoSpeechOrNoAudio_GivesNothing()
    {
        Assert.Empty(Segment(Frames((0f, 300))));
        Assert.Empty(Segment([]));
    }

    [Fact]
    public void FromProbabilities_SampleCountNotMatchingFrames_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SpeechTimestamps.FromProbabilities(new float[3], 3 * W + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpeechTimestamps.FromProbabilities(new float[3], 2 * W));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpeechTimestamps.FromProbabilities(new float[1], -1));
    }

    [Theory]
    [InlineData(0.5f, 0.35f)]
    [InlineData(0.1f, 0.01f)]
    public void DefaultNegativeThreshold_IsThresholdLess015AtLeast001(float threshold, float expected)
    {
        var parameters = VadParameters.From(new VadOptions { Threshold = threshold });

        Assert.Equal(expected, parameters.NegativeThreshold, 1e-6f);
    }

    [Fact]
    public void Defaults_InSamples_AreSilerosDefaults()
    {
        var p = VadParameters.From(null);

        Assert.Equal(
            (0.5f, 4000d, 1600d, 480d, double.PositiveInfinity, 1568d, true),
            (p.Threshold, p.MinSpeechSamples, p.MinSilenceSamples, p.SpeechPadSamples, p.MaxSpeechSamples, p.MinSilenceSamplesAtMaxSpeech, p.SplitAtLongestSilence));
    }

    public static TheoryData<VadOptions, string> InvalidOptions => new()
    {
        { new VadOptions { Threshold = 0 }, "Threshold 0 is out of range: use a value above 0 and below 1." },
        { new VadOptions { Threshold = 1 }, "Threshold 1 is out of range: use a value above 0 and below 1." },
        { new VadOptions { Threshold = float.NaN }, "Threshold NaN is out of range: use a value above 0 and below 1." },
        { new VadOptions { NegativeThreshold = 0.6f }, "Negative threshold 0.6 is out of range: use a value above 0 and at most the threshold 0.5." },
        { new VadOptions { NegativeThreshold = 0 }, "Negative threshold 0 is out of range: use a value above 0 and at most the threshold 0.5." },
        { new VadOptions { MinSpeechDuration = TimeSpan.FromMilliseconds(-1) }, "Minimum speech duration -1 ms is out of range: it cannot be negative." },
        { new VadOptions { MinSilenceDuration = TimeSpan.FromMilliseconds(-5) }, "Minimum silence duration -5 ms is out of range: it cannot be negative." },
        { new VadOptions { SpeechPad = TimeSpan.FromMilliseconds(-30) }, "Speech pad -30 ms is out of range: it cannot be negative." },
        { new VadOptions { MinSilenceAtMaxSpeech = TimeSpan.FromMilliseconds(-98) }, "Minimum silence at maximum speech -98 ms is out of range: it cannot be negative." },
        {
            new VadOptions { MaxSpeechDuration = TimeSpan.FromMilliseconds(92) },
            "Maximum speech duration 92 ms is too short: it must exceed twice the speech pad plus one 32 ms frame (92 ms)."
        },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void FromProbabilities_OptionOutOfRange_ThrowsInvalidInputNamingIt(VadOptions options, string message)
    {
        var error = Assert.Throws<HearsayException>(() => SpeechTimestamps.FromProbabilities([], 0, options));

        Assert.Equal(HearsayErrorCode.InvalidInput, error.Code);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void SpeechSegment_Times_AreSamplesAt16kHz()
    {
        var segment = new SpeechSegment(8000, 40000);

        Assert.Equal(
            (TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(2500), TimeSpan.FromSeconds(2), 32000L),
            (segment.StartTime, segment.EndTime, segment.Duration, segment.Length));
    }

    internal static float[] Frames(params (float Probability, int Count)[] runs) =>
        [.. runs.SelectMany(r => Enumerable.Repeat(r.Probability, r.Count))];

    /// <summary>Runs the offline reference and the incremental segmenter; asserts they agree; returns the segments.</summary>
    private static IReadOnlyList<SpeechSegment> Segment(float[] probabilities, VadOptions? options = null, long? sampleCount = null)
    {
        var count = sampleCount ?? (long)probabilities.Length * W;
        var offline = SpeechTimestamps.FromProbabilities(probabilities, count, options);
        Assert.Equal(offline, SpeechSegmenterTests.Incremental(probabilities, count, options, out _));
        return offline;
    }
}
