using Hearsay.Core.Audio.Input;
using Hearsay.Core.Stt;
using Hearsay.Core.Stt.Whisper;
using Hearsay.Core.Stt.Whisper.Model;
using Hearsay.Core.Vad;
using Hearsay.Testing;

namespace Hearsay.Core.IntegrationTests.Stt.Whisper;

/// <summary>The engine's behaviour beyond the reference: VAD, streaming, cancellation, bounded memory, errors.</summary>
public class WhisperEngineTests
{
    private static readonly TranscribeOptions Greedy = new() { TemperatureFallback = false };

    [Fact]
    public async Task TranscribeAsync_WithVad_SegmentsLieInsideSpeechOnTheInputTimeline()
    {
        using var engine = await LoadAsync("tiny-en");
        var samples = await ReadClipAsync("long_lj_LJ001-0001_to_0015.wav");
        using var vadModel = SileroVadModel.LoadBundled();
        var speech = VoiceActivityDetector.Detect(
            vadModel, samples, 16000, VadOptions.Default with { MaxSpeechDuration = TimeSpan.FromSeconds(30) });

        var result = await engine.TranscribeAsync(new SampleReader(samples), Greedy);

        Assert.NotEmpty(result.Segments);
        Assert.Equal(samples.Length / 16000.0, result.Duration, 1e-9);
        foreach (var segment in result.Segments.Where(segment => segment.Text.Length > 0))
        {
            Assert.InRange(segment.Start, 0, segment.End);
            Assert.InRange(segment.End, segment.Start, result.Duration + 1e-9);
            // Inside speech: the start lies in (or on the edge of) a segment VAD found.
            Assert.Contains(speech, found => segment.Start >= (found.Start / 16000.0) - 1e-6 && segment.Start <= (found.End / 16000.0) + 1e-6);
        }

        Assert.Equal(result.Segments.Select(segment => segment.Id), Enumerable.Range(0, result.Segments.Count));
    }

    [Fact]
    public async Task TranscribeAsync_WithVadOnSilence_ReturnsNoSegments()
    {
        using var engine = await LoadAsync("tiny-en");

        var result = await engine.TranscribeAsync(new SampleReader(new float[16000 * 40]), Greedy);

        Assert.Empty(result.Segments);
        Assert.Equal(string.Empty, result.Text);
        Assert.Equal(40.0, result.Duration, 1e-9);
    }

    [Fact]
    public async Task StreamAsync_LongInput_YieldsTheFirstSegmentBeforeTheInputIsRead()
    {
        using var engine = await LoadAsync("tiny-en");
        var samples = await ReadClipAsync("long_lj_LJ001-0001_to_0015.wav");
        var reader = new SampleReader(samples);

        await using var segments = engine.StreamAsync(reader, Greedy with { UseVad = false }).GetAsyncEnumerator();

        Assert.True(await segments.MoveNextAsync(), "the long input gave no segment at all");
        Assert.True(reader.Position < samples.Length, $"read {reader.Position} of {samples.Length} samples before the first segment");
    }

    [Fact]
    public async Task TranscribeAsync_TwoHourInput_StreamsInBoundedMemory()
    {
        using var engine = await LoadAsync("tiny-en");
        var speech = await ReadClipAsync("jfk.wav");
        const long twoHours = 16000L * 7200;
        var reader = new SpeechAtBothEnds(speech, twoHours);
        long peak = 0;
        // Live memory after a full collection, so garbage the GC has not yet reclaimed cannot fail the test.
        var progress = new InlineProgress(_ => peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true)));
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var result = await engine.TranscribeAsync(reader, Greedy, progress);

        Assert.Equal(7200.0, result.Duration, 1e-6);
        Assert.Contains(result.Segments, segment => segment.Start < 11);
        Assert.Contains(result.Segments, segment => segment.Start > 7200 - 11);
        // Two hours of float samples would be 460 MB; the pipeline holds about one window at a time.
        Assert.True(peak - before < 50_000_000, $"managed memory grew by {(peak - before) / 1e6:0} MB");
    }

    [Fact]
    public async Task TranscribeAsync_AfterOtherAndCancelledRuns_GivesWhatAFreshEngineGives()
    {
        // Decoder states are reused between runs: what one run leaves in a state must never reach the next.
        using var fresh = await LoadAsync("tiny-en");
        using var reused = await LoadAsync("tiny-en");
        var jfk = await ReadClipAsync("jfk.wav");
        var longClip = await ReadClipAsync("long_lj_LJ001-0001_to_0015.wav");
        var options = Greedy with { UseVad = false };
        var expected = await fresh.TranscribeAsync(new SampleReader(jfk), options);

        await reused.TranscribeAsync(new SampleReader(longClip), options);
        using (var cancellation = new CancellationTokenSource())
        {
            var progress = new InlineProgress(_ => cancellation.Cancel());
            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => reused.TranscribeAsync(new SampleReader(longClip), options, progress, cancellation.Token));
        }

        var again = await reused.TranscribeAsync(new SampleReader(jfk), options);

        Assert.Equal(expected.Text, again.Text);
        Assert.Equal(expected.Segments, again.Segments, (a, b) => a.Tokens.SequenceEqual(b.Tokens) && a.Start == b.Start && a.End == b.End);
    }

    [Fact]
    public async Task TranscribeAsync_CancelledAfterTheFirstWindow_Throws()
    {
        using var engine = await LoadAsync("tiny-en");
        var samples = await ReadClipAsync("long_lj_LJ001-0001_to_0015.wav");
        using var cancellation = new CancellationTokenSource();
        var progress = new InlineProgress(_ => cancellation.Cancel());

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => engine.TranscribeAsync(new SampleReader(samples), Greedy with { UseVad = false }, progress, cancellation.Token));

        Assert.Equal(cancellation.Token, error.CancellationToken);
    }

    [Fact]
    public async Task TranscribeAsync_PromptLongerThanTheDecoderTakes_FirstWindowSeesItsLastTokens()
    {
        using var logs = new CapturingLoggerFactory();
        using var engine = await WhisperSpeechToText.LoadAsync(WhisperExpectations.ModelDirectory("tiny-en"), loggerFactory: logs);
        var prompt = string.Concat(Enumerable.Range(0, 120).Select(i => $"Name{i} spelled N-A-M-E-{i}. "));
        var promptTokens = WhisperTokenizer.Load(engine.Files.TokensPath).Encode(" " + prompt.Trim());
        Assert.True(promptTokens.Count > 1000, $"the prompt is only {promptTokens.Count} tokens");

        await engine.TranscribeAsync(new SampleReader(await ReadClipAsync("jfk.wav")), Greedy with { Prompt = prompt, UseVad = false });

        // OpenAI's decoding: start-of-previous, the prompt's last n_text_ctx / 2 - 1 tokens, the start sequence.
        var info = engine.Info;
        const int WindowDecoded = 1604;
        var first = logs.Events.First(e => e.EventId == WindowDecoded).Value<IReadOnlyList<int>>("InitialTokens");
        Assert.Equal([info.SotPrev, .. promptTokens.TakeLast((info.TextContext / 2) - 1), .. info.SotSequence], first);
    }

    [Fact]
    public async Task TranscribeAsync_PromptOverTheLimit_IsInvalidInput()
    {
        using var engine = await LoadAsync("tiny-en");
        var prompt = new string('x', TranscribeOptions.MaxPromptLength + 1);

        var error = await Assert.ThrowsAsync<HearsayException>(() =>
            engine.TranscribeAsync(new SampleReader(new float[16000]), Greedy with { Prompt = prompt }));

        Assert.Equal(HearsayErrorCode.InvalidInput, error.Code);
        Assert.Contains("prompt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TranscribeAsync_MaxTokensPerWindow_NoWindowSamplesMore()
    {
        using var engine = await LoadAsync("tiny-en");
        var clip = await ReadClipAsync("jfk.wav");
        var options = Greedy with { UseVad = false };

        var uncapped = await engine.TranscribeAsync(new SampleReader(clip), options);
        var capped = await engine.TranscribeAsync(new SampleReader(clip), options with { MaxTokensPerWindow = 12 });

        // The random-weight model samples far more than 12 in its window when nothing stops it.
        Assert.True(TokensPerWindow(uncapped).Max() > 12, $"uncapped: {string.Join(", ", TokensPerWindow(uncapped))}");
        Assert.All(TokensPerWindow(capped), count => Assert.InRange(count, 1, 12));
        Assert.NotEmpty(capped.Text);
    }

    [Fact]
    public async Task TranscribeAsync_MaxTokensPerWindowZero_IsInvalidInput()
    {
        using var engine = await LoadAsync("tiny-en");

        var error = await Assert.ThrowsAsync<HearsayException>(() =>
            engine.TranscribeAsync(new SampleReader(new float[16000]), Greedy with { MaxTokensPerWindow = 0 }));

        Assert.Equal(HearsayErrorCode.InvalidInput, error.Code);
        Assert.Equal(nameof(TranscribeOptions.MaxTokensPerWindow), error.OptionName);
    }

    [Fact]
    public async Task LoadAsync_FolderWithoutModel_NamesTheExpectedFiles()
    {
        using var directory = new TemporaryDirectory();

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => WhisperSpeechToText.LoadAsync(directory.Path));

        Assert.Equal(HearsayErrorCode.ModelNotFound, error.Code);
        Assert.Contains("NAME-encoder.onnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_PiperVoiceAsEncoder_IsRejectedAsNotWhisper()
    {
        using var directory = new TemporaryDirectory();
        File.Copy(PiperExpectations.SingleSpeakerVoice, Path.Combine(directory.Path, "x-encoder.onnx"));
        File.Copy(PiperExpectations.SingleSpeakerVoice, Path.Combine(directory.Path, "x-decoder.onnx"));
        File.Copy(Path.Combine(WhisperExpectations.ModelDirectory("tiny-en"), "tiny-en-tokens.txt"), Path.Combine(directory.Path, "x-tokens.txt"));

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => WhisperSpeechToText.LoadAsync(directory.Path));

        Assert.Equal(HearsayErrorCode.ModelInvalid, error.Code);
        Assert.Contains("sherpa-onnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_TokensOfTheOtherVocabulary_AreRejected()
    {
        using var directory = new TemporaryDirectory();
        var source = WhisperExpectations.ModelDirectory("tiny-en");
        foreach (var file in new[] { "encoder.onnx", "decoder.onnx" })
        {
            File.Copy(Path.Combine(source, "tiny-en-" + file), Path.Combine(directory.Path, "m-" + file));
        }

        File.Copy(TestPaths.SharedFile("whisper", "multilingual.tiktoken"), Path.Combine(directory.Path, "m-tokens.txt"));

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => WhisperSpeechToText.LoadAsync(directory.Path));

        Assert.Contains("do not belong together", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tiny-en", "de", TranscriptionTask.Translate, "English-only")]
    [InlineData("tiny-en", "german", TranscriptionTask.Transcribe, "cannot transcribe 'german'")]
    [InlineData("tiny-multi", "klingon", TranscriptionTask.Transcribe, "not a language")]
    public async Task TranscribeAsync_InvalidLanguageOrTask_IsInvalidInput(string model, string language, TranscriptionTask task, string message)
    {
        using var engine = await LoadAsync(model);

        var error = await Assert.ThrowsAsync<HearsayException>(() =>
            engine.TranscribeAsync(new SampleReader(new float[16000]), new TranscribeOptions { Language = language, Task = task }));

        Assert.Equal(HearsayErrorCode.InvalidInput, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    /// <summary>The tokens each window sampled: its segments' tokens (timestamps included), by the window's seek.</summary>
    private static IEnumerable<int> TokensPerWindow(Transcription transcription) =>
        transcription.Segments.GroupBy(segment => segment.Seek).Select(window => window.Sum(segment => segment.Tokens.Count));

    private static Task<WhisperSpeechToText> LoadAsync(string model) =>
        WhisperSpeechToText.LoadAsync(WhisperExpectations.ModelDirectory(model));

    private static async Task<float[]> ReadClipAsync(string name)
    {
        await using var audio = await AudioDecoder.OpenFileAsync(TestPaths.SharedFile("audio", "wav16k", name), new AudioInputOptions());
        return await audio.ReadAllAsync(maxSamples: 16000 * 600);
    }

    /// <summary>A long input generated on the fly: speech, silence, and the same speech again at the very end.</summary>
    private sealed class SpeechAtBothEnds(float[] speech, long length) : MonoAudioReader
    {
        private long _position;

        public override int SampleRate => 16000;

        public override long? TotalSamples => null;

        public override ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default)
        {
            var count = (int)Math.Min(destination.Length, length - _position);
            var span = destination.Span[..count];
            for (var i = 0; i < count; i++, _position++)
            {
                var fromEnd = _position - (length - speech.Length);
                span[i] = _position < speech.Length ? speech[_position] : fromEnd >= 0 ? speech[fromEnd] : 0f;
            }

            return ValueTask.FromResult(count);
        }
    }

    private sealed class InlineProgress(Action<TranscriptionProgress> report) : IProgress<TranscriptionProgress>
    {
        public void Report(TranscriptionProgress value) => report(value);
    }
}
