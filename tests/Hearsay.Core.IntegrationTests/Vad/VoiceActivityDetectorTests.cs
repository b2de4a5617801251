using Hearsay.Core.Vad;
using Hearsay.Testing;

namespace Hearsay.Core.IntegrationTests.Vad;

/// <summary>The streaming detector against the offline reference, on real audio and the real models.</summary>
[Collection(SileroModels.Collection)]
public sealed class VoiceActivityDetectorTests(SileroModels models)
{
    private const string Clip = "long_cathy_arctic_a0001_to_a0014.wav";

    private static readonly VadOptions Splitting = new()
    {
        MinSilenceDuration = TimeSpan.FromMilliseconds(340),
        MaxSpeechDuration = TimeSpan.FromSeconds(2.5),
    };

    public static TheoryData<string, int, bool> BlockSizes()
    {
        var data = new TheoryData<string, int, bool>();
        foreach (var version in SileroModels.Versions)
        {
            foreach (var blockSize in new[] { 1, 100, 512, 10000 })
            {
                data.Add(version, blockSize, false);
                data.Add(version, blockSize, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BlockSizes))]
    public async Task Push_AnyBlockSize_EqualsOfflineSegmentation(string version, int blockSize, bool splitLongSpeech)
    {
        var model = models[version];
        var audio = await SoxAudio.ReadMono16kAsync(VadRecordings.Clip(Clip));
        var options = splitLongSpeech ? Splitting : VadOptions.Default;
        var expected = SpeechTimestamps.FromProbabilities(SileroModels.Probabilities(model, audio), audio.Length, options);
        using var detector = new VoiceActivityDetector(model, options);
        var segments = new List<SpeechSegment>();

        var retainFrom = detector.RetainFrom;
        for (var offset = 0; offset < audio.Length; offset += blockSize)
        {
            var pushed = detector.Push(audio.AsSpan(offset, Math.Min(blockSize, audio.Length - offset)));
            Assert.All(pushed, s => Assert.True(s.Start >= retainFrom, $"{s} starts before RetainFrom {retainFrom}."));
            Assert.InRange(detector.RetainFrom, retainFrom, detector.SampleCount);
            retainFrom = detector.RetainFrom;
            segments.AddRange(pushed);
        }

        var handedOutEarly = segments.Count;
        segments.AddRange(detector.Complete());

        Assert.Equal(expected, segments);
        Assert.Equal(audio.Length, detector.SampleCount);
        // Streaming: all but the last few segments were out before the end of the audio.
        Assert.InRange(handedOutEarly, expected.Count - 2, expected.Count);
        Assert.True(expected.Count >= (splitLongSpeech ? 20 : 14), $"Only {expected.Count} segments: the case exercises too little.");
    }

    [Fact]
    public async Task DetectAndDetectAsync_WholeRecording_EqualOfflineSegmentation()
    {
        var model = models["v6.2"];
        var audio = await SoxAudio.ReadMono16kAsync(VadRecordings.Clip("long_lj_LJ001-0001_to_0015.wav"));
        var expected = SpeechTimestamps.FromProbabilities(SileroModels.Probabilities(model, audio), audio.Length, Splitting);

        var detected = VoiceActivityDetector.Detect(model, audio, 16000, Splitting);
        var streamed = new List<SpeechSegment>();
        await foreach (var segment in VoiceActivityDetector.DetectAsync(model, audio, 16000, Splitting))
        {
            streamed.Add(segment);
        }

        Assert.Equal(expected, detected);
        Assert.Equal(expected, streamed);
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(44100)]
    [InlineData(48000)]
    public void Detect_RateOtherThan16kHz_ThrowsInvalidInput(int sampleRate)
    {
        var error = Assert.Throws<HearsayException>(() => VoiceActivityDetector.Detect(models["v5"], new float[16000], sampleRate));
        var asyncError = Assert.Throws<HearsayException>(() => VoiceActivityDetector.DetectAsync(models["v5"], new float[16000], sampleRate));

        Assert.Equal(HearsayErrorCode.InvalidInput, error.Code);
        Assert.Equal($"Silero VAD needs 16000 Hz audio, not {sampleRate} Hz: resample it first.", error.Message);
        Assert.Equal(error.Message, asyncError.Message);
    }

    [Fact]
    public void Constructor_OptionOutOfRange_ThrowsInvalidInput()
    {
        var error = Assert.Throws<HearsayException>(() => new VoiceActivityDetector(models["v5"], new VadOptions { Threshold = 2 }));

        Assert.Equal(HearsayErrorCode.InvalidInput, error.Code);
    }

    [Fact]
    public async Task DetectAsync_Cancelled_Stops()
    {
        var audio = await SoxAudio.ReadMono16kAsync(VadRecordings.Clip(Clip));
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in VoiceActivityDetector.DetectAsync(models["v5"], audio, 16000, cancellationToken: cancellation.Token))
            {
            }
        });
    }

    [Fact]
    public async Task Push_AfterComplete_ThrowsUntilReset()
    {
        var audio = await SoxAudio.ReadMono16kAsync(VadRecordings.Clip("jfk.wav"));
        using var detector = new VoiceActivityDetector(models["v6.2"]);
        var first = detector.Push(audio).Concat(detector.Complete()).ToList();

        Assert.Throws<InvalidOperationException>(() => detector.Push(audio));
        Assert.Throws<InvalidOperationException>(() => detector.Complete());
        detector.Reset();
        var second = detector.Push(audio).Concat(detector.Complete()).ToList();

        Assert.Equal(first, second);
        Assert.NotEmpty(first);
    }

    [Fact]
    public async Task Push_LogsEachSegmentAndTheSummary()
    {
        var audio = await SoxAudio.ReadMono16kAsync(VadRecordings.Clip("jfk.wav"));
        var capture = new CapturingLoggerFactory();
        using var detector = new VoiceActivityDetector(models["v6.2"], loggerFactory: capture);

        var segments = detector.Push(audio).Concat(detector.Complete()).ToList();

        Assert.Equal(segments.Count, capture.Count(1501));
        Assert.Equal(1, capture.Count(1502));
    }
}
