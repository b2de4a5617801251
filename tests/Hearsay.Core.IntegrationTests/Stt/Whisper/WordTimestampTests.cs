using Hearsay.Core.Audio.Input;
using Hearsay.Core.Stt;
using Hearsay.Core.Stt.Whisper;
using Hearsay.Core.Stt.Whisper.Model;
using Hearsay.Core.Vad;
using Hearsay.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hearsay.Core.IntegrationTests.Stt.Whisper;

/// <summary>
/// Word timestamps against the independent PyTorch reference (tools/testmodels/whisper_word_timing.py, OpenAI's
/// timing.py procedure on the generated models and their declared alignment heads): the same segments, and every word
/// and refined segment time within 20 ms (one audio frame), fp32 and int8, English-only and multilingual. With VAD, the
/// words of the packed speech are mapped back to the input's timeline.
/// </summary>
public class WordTimestampTests
{
    // One encoder frame; the reference's float32 DTW and ours may differ by a frame where two paths cost the same.
    private const double Tolerance = 0.02 + 1e-9;

    // The engine's debug event of a window's outcome (Diagnostics/Log.Stt.cs).
    private const int WindowDone = 1605;

    private static readonly TranscribeOptions Words = new() { WordTimestamps = true, TemperatureFallback = false };

    public static TheoryData<string> Cases() => [.. WhisperExpectations.Transcriptions().Select(expected => expected.Id)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task TranscribeAsync_WordTimestamps_MatchReferenceWithin20Ms(string caseId)
    {
        var expected = WhisperExpectations.Transcriptions().Single(item => item.Id == caseId);
        var words = expected.WordTimestamps;
        using var logs = new CapturingLoggerFactory();
        using var engine = await WhisperSpeechToText.LoadAsync(
            WhisperExpectations.ModelDirectory(expected.Model),
            new WhisperSessionOptions { Precision = expected.Precision == "int8" ? WhisperPrecision.Quantized : WhisperPrecision.Full },
            logs);
        await using var audio = await AudioDecoder.OpenFileAsync(TestPaths.SharedFile(expected.Clip.Split('/')), new AudioInputOptions());

        var actual = await engine.TranscribeAsync(audio, Words with
        {
            Language = expected.Language,
            Task = expected.Task == "translate" ? TranscriptionTask.Translate : TranscriptionTask.Transcribe,
            Prompt = expected.Prompt,
            UseVad = false,
        });

        // Each window after one with words starts at its last word's end.
        Assert.Equal(words.WindowSeeks, logs.Events.Where(e => e.EventId == WindowDone).Select(e => e.Value<long>("Seek")));
        Assert.Equal(words.Text, actual.Text);
        Assert.Equal(words.Segments.Select(segment => segment.Segment.Tokens), actual.Segments.Select(segment => segment.Tokens.ToArray()));
        foreach (var ((want, wantWords), got) in words.Segments.Zip(actual.Segments))
        {
            var at = $"segment {want.Id} ({want.Text})";
            Assert.True(want.Seek == got.Seek, at);
            Assert.True(Math.Abs(want.Start - got.Start) <= Tolerance, $"{at}: start {got.Start}, not {want.Start}");
            Assert.True(Math.Abs(want.End - got.End) <= Tolerance, $"{at}: end {got.End}, not {want.End}");
            Assert.Equal(wantWords.Select(word => word.Word), got.Words.Select(word => word.Word));
            foreach (var (wantWord, gotWord) in wantWords.Zip(got.Words))
            {
                Assert.True(
                    Math.Abs(wantWord.Start - gotWord.Start) <= Tolerance && Math.Abs(wantWord.End - gotWord.End) <= Tolerance,
                    $"{at}: '{gotWord.Word}' at {gotWord.Start}-{gotWord.End}, not {wantWord.Start}-{wantWord.End}");
            }
        }

        Assert.Equal(words.Segments.Sum(segment => segment.Words.Count), actual.Words.Count());
    }

    [Fact]
    public async Task TranscribeAsync_WordTimestampsWithVad_MapsThePackedSpeechsWordsToTheInput()
    {
        using var engine = await WhisperSpeechToText.LoadAsync(WhisperExpectations.ModelDirectory("tiny-en"));
        var samples = await ReadJfkAsync();
        using var vadModel = SileroVadModel.LoadBundled();
        using var vad = new VoiceActivityDetector(vadModel, VadOptions.Default with { MaxSpeechDuration = TimeSpan.FromSeconds(30) }, NullLoggerFactory.Instance);
        var chunk = Assert.Single(await new SpeechChunker(new SampleReader(samples), vad).ReadChunksAsync(CancellationToken.None).ToListAsync());

        var withVad = await engine.TranscribeAsync(new SampleReader(samples), Words);
        var packed = await engine.TranscribeAsync(new SampleReader(chunk.Samples), Words with { UseVad = false });

        Assert.True(chunk.Samples.Length < samples.Length, "VAD should have cut silence out of jfk");
        Assert.NotEmpty(withVad.Words);
        Assert.Equal(
            packed.Words.Select(word => (word.Word, chunk.Timeline.ToOriginal(word.Start), chunk.Timeline.ToOriginal(word.End, isEnd: true))),
            withVad.Words.Select(word => (word.Word, word.Start, word.End)));
        Assert.All(withVad.Words, word => Assert.InRange(word.Start, 0, Math.Min(word.End, withVad.Duration)));
    }

    [Fact]
    public async Task TranscribeAsync_WordTimestampsOnOnnxRuntimeDecoder_RefusesWithTheReason()
    {
        using var engine = await WhisperSpeechToText.LoadAsync(
            WhisperExpectations.ModelDirectory("tiny-en"), new WhisperSessionOptions { Decoder = WhisperDecoderBackend.OnnxRuntime });

        var error = await Assert.ThrowsAsync<HearsayException>(() => engine.TranscribeAsync(new SampleReader(new float[16000]), Words));

        Assert.Equal(HearsayErrorCode.InvalidInput, error.Code);
        Assert.Equal(nameof(TranscribeOptions.WordTimestamps), error.OptionName);
        Assert.Contains("ONNX Runtime", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TranscribeAsync_WithoutWordTimestamps_HasNoWords()
    {
        using var engine = await WhisperSpeechToText.LoadAsync(WhisperExpectations.ModelDirectory("tiny-en"));

        var result = await engine.TranscribeAsync(new SampleReader(await ReadJfkAsync()), Words with { WordTimestamps = false });

        Assert.NotEmpty(result.Segments);
        Assert.Empty(result.Words);
    }

    private static async Task<float[]> ReadJfkAsync()
    {
        await using var audio = await AudioDecoder.OpenFileAsync(TestPaths.SharedFile("audio", "wav16k", "jfk.wav"), new AudioInputOptions());
        return await audio.ReadAllAsync(maxSamples: 16000 * 60);
    }
}
