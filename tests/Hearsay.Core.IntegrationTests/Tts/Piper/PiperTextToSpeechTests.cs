using System.Diagnostics;
using Hearsay.Core.Audio;
using Hearsay.Core.Tts;
using Hearsay.Core.Tts.Phonemization;
using Hearsay.Core.Tts.Piper;
using Hearsay.Testing;

namespace Hearsay.Core.IntegrationTests.Tts.Piper;

public sealed class PiperTextToSpeechTests
{
    private const int SentenceSynthesizedEvent = 1302;
    private const int PhonemizedEvent = 1310;
    private static readonly IReadOnlyList<ExpectedSynthesis> Expected = PiperExpectations.Synthesis();
    private static readonly SpeakOptions Deterministic = new() { NoiseScale = 0, NoiseW = 0 };

    private static Task<PiperTextToSpeech> LoadSingleAsync(CapturingLoggerFactory? logs = null) =>
        PiperTextToSpeech.LoadAsync(PiperExpectations.SingleSpeakerVoice, loggerFactory: logs);

    private static async Task<List<AudioChunk>> SpeakAsync(PiperTextToSpeech engine, string text, SpeakOptions options)
    {
        var chunks = new List<AudioChunk>();
        await foreach (var chunk in engine.SynthesizeAsync(text, options))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    private static float[] PiperNormalized(float[] samples) =>
        new SentenceAudio(22050).Next(samples, silenceSamples: 0, cutBefore: false, cutAfter: false);

    [Fact]
    public async Task SynthesizeAsync_Text_YieldsOneChunkPerSentenceEqualToReference()
    {
        var cases = Expected.Where(e => e.Voice == "tiny-single" && e.LengthScale == 1).OrderBy(e => e.SentenceIndex).ToList();
        using var engine = await LoadSingleAsync();

        var chunks = await SpeakAsync(engine, cases[0].Text, Deterministic);

        Assert.Equal(cases.Count, chunks.Count);
        for (var i = 0; i < chunks.Count; i++)
        {
            Assert.Equal(i, chunks[i].Index);
            Assert.Equal(22050, chunks[i].SampleRate);
            PiperVoiceTests.AssertClose(PiperNormalized(cases[i].Samples), chunks[i].Samples.ToArray());
        }

        Assert.Equal(["Hello world.", "This is a tiny voice, speaking!"], chunks.Select(c => c.Text));
        Assert.Equal(1f, chunks[0].Samples.ToArray().Max(MathF.Abs), 5);
    }

    [Fact]
    public async Task SynthesizeAsync_Speed_DividesTheVoiceLengthScale()
    {
        var halfLength = Expected.Single(e => e.Voice == "tiny-single" && e.LengthScale == 0.5f);
        using var engine = await LoadSingleAsync();

        var chunk = Assert.Single(await SpeakAsync(engine, halfLength.Text, Deterministic with { Speed = 2 }));

        PiperVoiceTests.AssertClose(PiperNormalized(halfLength.Samples), chunk.Samples.ToArray());
    }

    [Fact]
    public async Task SynthesizeAsync_SpeakerByNameOrId_SelectsThatSpeaker()
    {
        var cori = Expected.Single(e => e.Voice == "tiny-multi" && e.SpeakerId == 2);
        using var engine = await PiperTextToSpeech.LoadAsync(PiperExpectations.MultiSpeakerVoice);

        var byName = Assert.Single(await SpeakAsync(engine, cori.Text, Deterministic with { Speaker = "cori" }));
        var byId = Assert.Single(await SpeakAsync(engine, cori.Text, Deterministic with { Speaker = "2" }));
        var byDefault = Assert.Single(await SpeakAsync(engine, cori.Text, Deterministic));

        PiperVoiceTests.AssertClose(PiperNormalized(cori.Samples), byName.Samples.ToArray());
        Assert.Equal(byName.Samples.ToArray(), byId.Samples.ToArray());
        Assert.NotEqual(byName.Samples.Length, byDefault.Samples.Length);
        Assert.Equal(16000, byName.SampleRate);
    }

    [Fact]
    public async Task SynthesizeAsync_SentenceSilence_SeparatesSentences()
    {
        using var engine = await LoadSingleAsync();

        var plain = await SpeakAsync(engine, "One. Two. Three.", Deterministic);
        var spaced = await SpeakAsync(engine, "One. Two. Three.", Deterministic with { SentenceSilence = TimeSpan.FromSeconds(0.5) });

        var silence = (int)Math.Round(0.5 * 22050);
        Assert.Equal(plain.Select((c, i) => c.Samples.Length + (i > 0 ? silence : 0)), spaced.Select(c => c.Samples.Length));
        Assert.All(spaced.Skip(1), c => Assert.All(c.Samples.ToArray()[..silence], s => Assert.Equal(0f, s)));
        Assert.Equal(plain[0].Samples.ToArray(), spaced[0].Samples.ToArray());
    }

    [Fact]
    public async Task SynthesizeAsync_FirstChunk_ArrivesWithAtMostOneSentenceInferredAhead()
    {
        using var logs = new CapturingLoggerFactory();
        using var engine = await LoadSingleAsync(logs);
        await using var chunks = engine.SynthesizeAsync("First sentence. Second sentence. Third one. Fourth. Fifth.", Deterministic).GetAsyncEnumerator();

        Assert.True(await chunks.MoveNextAsync());

        Assert.Equal(0, chunks.Current.Index);
        Assert.InRange(logs.Count(SentenceSynthesizedEvent), 1, 2);
    }

    [Fact]
    public async Task SynthesizeAsync_WhileTheCallerHoldsAChunk_TheNextSentenceIsInferred()
    {
        using var logs = new CapturingLoggerFactory();
        using var engine = await LoadSingleAsync(logs);
        await using var chunks = engine.SynthesizeAsync("First sentence. Second sentence. Third one.", Deterministic).GetAsyncEnumerator();
        Assert.True(await chunks.MoveNextAsync());

        // The caller does not ask for the next chunk, yet the voice runs the next sentence (bounded wait, no clock asserted).
        var waited = Stopwatch.StartNew();
        while (logs.Count(SentenceSynthesizedEvent) < 2 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10);
        }

        Assert.Equal(2, logs.Count(SentenceSynthesizedEvent));
        Assert.True(await chunks.MoveNextAsync());
        Assert.Equal(1, chunks.Current.Index);
    }

    [Fact]
    public async Task SynthesizeAsync_LongText_IsPhonemizedInBatchesWhileSpeaking()
    {
        var text = string.Join(' ', Enumerable.Repeat("This sentence is one of many in a long text.", 100));
        using var logs = new CapturingLoggerFactory();
        using var engine = await LoadSingleAsync(logs);

        var chunks = await SpeakAsync(engine, text, Deterministic);

        Assert.Equal(100, chunks.Count);
        Assert.Equal(Enumerable.Range(0, 100), chunks.Select(c => c.Index));
        Assert.InRange(logs.Count(PhonemizedEvent), 3, 10);
    }

    [Fact]
    public async Task SynthesizeAsync_CancelledMidStream_SynthesizesNothingMore()
    {
        var text = string.Join(' ', Enumerable.Repeat("This sentence is one of very many in a long text.", 300));
        using var logs = new CapturingLoggerFactory();
        using var engine = await LoadSingleAsync(logs);
        using var cancellation = new CancellationTokenSource();
        var received = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var chunk in engine.SynthesizeAsync(text, Deterministic, cancellation.Token))
            {
                received++;
                if (received == 2)
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        // Stopping is proved by what ran, not by a clock: of the 298 sentences left, at most the one inferred ahead of
        // the caller was synthesized (unless the cancel stopped it).
        Assert.Equal(2, received);
        Assert.InRange(logs.Count(SentenceSynthesizedEvent), 2, 3);
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(0.25f)]
    public async Task SynthesizeAsync_LongSentenceWithoutAFullStop_IsInferredInBoundedPieces(float speed)
    {
        var sentence = LongSentence(4096);
        using var logs = new CapturingLoggerFactory();
        using var engine = await LoadSingleAsync(logs);

        var chunks = await SpeakAsync(engine, sentence, Deterministic with { Speed = speed });

        var inferences = logs.Events.Where(e => e.EventId == SentenceSynthesizedEvent).ToList();
        // BOS, pad, then each phoneme and a pad, then EOS: every phoneme of the test voices is one id.
        var maxIds = (2 * PiperPieces.MaxPhonemes(speed)) + 3;
        Assert.InRange(inferences.Count, 4096 / maxIds, 4096);
        Assert.All(inferences, e => Assert.InRange(e.Value<int>("PhonemeIdCount"), 4, maxIds));
        // Each piece inferred once; the one ahead may finish before the one the caller waits for, so logs need not be in order.
        Assert.Equal(Enumerable.Range(0, inferences.Count), inferences.Select(e => e.Value<int>("Piece")).Order());
        Assert.Equal(inferences.Count, chunks.Count);
        Assert.All(chunks, c => Assert.Equal((0, sentence), (c.Index, c.Text)));
        Assert.All(chunks, c => Assert.InRange(c.Samples.ToArray().Max(MathF.Abs), 0f, 1f));
    }

    [Fact]
    public async Task SynthesizeAsync_LongSentence_SeamsStepNoMoreThanTheSignalNormallyDoes()
    {
        using var engine = await LoadSingleAsync();

        var chunks = await SpeakAsync(engine, LongSentence(4096), Deterministic);

        float[] audio = [.. chunks.SelectMany(c => c.Samples.ToArray())];
        var steps = audio.Zip(audio.Skip(1), (a, b) => MathF.Abs(b - a)).ToArray();
        var sorted = steps.Order().ToArray();
        var median = sorted[sorted.Length / 2];
        var seams = chunks.Take(chunks.Count - 1).Select(c => c.Samples.Length).Aggregate(new List<int>(), (seams, length) =>
        {
            seams.Add((seams.Count > 0 ? seams[^1] : 0) + length);
            return seams;
        });
        Assert.True(seams.Count > 5, $"Only {seams.Count} seams.");
        Assert.All(seams, seam =>
        {
            var step = steps[seam - 1];
            Assert.True(step <= median, $"A step of {step} at the seam at sample {seam}; the median step is {median}.");
        });
    }

    /// <summary>Ordinary words without a full stop (the probe's sentence), <paramref name="characters"/> long.</summary>
    private static string LongSentence(int characters)
    {
        string[] words = ["the", "river", "carried", "small", "boats", "past", "quiet", "houses", "and", "green", "fields,"];
        var text = string.Join(' ', Enumerable.Range(0, characters).Select(i => words[i % words.Length]));
        return text[..characters].TrimEnd(' ', ',');
    }

    [Fact]
    public async Task SynthesizeAsync_ConcurrentRequests_ProduceTheSameAudioAsOneAtATime()
    {
        using var engine = await LoadSingleAsync();
        string[] texts = ["Good morning, everyone.", "The weather is fine today!", "Is it going to rain? No."];
        var sequential = new List<float[]>();
        foreach (var text in texts)
        {
            sequential.Add([.. (await SpeakAsync(engine, text, Deterministic)).SelectMany(c => c.Samples.ToArray())]);
        }

        var concurrent = await Task.WhenAll(texts.Select(async text =>
            (await SpeakAsync(engine, text, Deterministic)).SelectMany(c => c.Samples.ToArray()).ToArray()));

        Assert.Equal(sequential, concurrent);
    }

    [Theory]
    [InlineData("", "The text is empty: there is nothing to speak.")]
    [InlineData(" \n\t ", "The text is empty: there is nothing to speak.")]
    [InlineData("...", "The text has nothing to speak: no words or numbers.")]
    public async Task SynthesizeAsync_NothingToSpeak_ThrowsInvalidInput(string text, string message)
    {
        using var engine = await LoadSingleAsync();

        var error = await Assert.ThrowsAsync<HearsayException>(() => SpeakAsync(engine, text, Deterministic));

        Assert.Equal(HearsayErrorCode.InvalidInput, error.Code);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData(0.1f, "Speed 0.1 is out of range: use 0.25 to 4.")]
    [InlineData(4.5f, "Speed 4.5 is out of range: use 0.25 to 4.")]
    [InlineData(float.NaN, "Speed NaN is out of range: use 0.25 to 4.")]
    public async Task SynthesizeAsync_SpeedOutOfRange_ThrowsInvalidInput(float speed, string message)
    {
        using var engine = await LoadSingleAsync();

        var error = await Assert.ThrowsAsync<HearsayException>(() => SpeakAsync(engine, "Hi.", new SpeakOptions { Speed = speed }));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task SynthesizeAsync_InvalidOptions_AreRejectedBeforeAnyWork()
    {
        using var engine = await LoadSingleAsync();

        var silence = await Assert.ThrowsAsync<HearsayException>(() =>
            SpeakAsync(engine, "Hi.", new SpeakOptions { SentenceSilence = TimeSpan.FromSeconds(11) }));
        var noise = await Assert.ThrowsAsync<HearsayException>(() => SpeakAsync(engine, "Hi.", new SpeakOptions { NoiseScale = -1 }));
        var speaker = await Assert.ThrowsAsync<HearsayException>(() => SpeakAsync(engine, "Hi.", new SpeakOptions { Speaker = "alba" }));

        Assert.Equal("Sentence silence 11 s is out of range: use 0 to 10 s.", silence.Message);
        Assert.Equal("Noise scale -1 is out of range: use 0 to 10.", noise.Message);
        Assert.Equal("Unknown speaker 'alba': this voice has a single speaker.", speaker.Message);
    }

    [Fact]
    public async Task LoadAsync_EspeakNgMissing_ReportsTtsUnavailableBeforeLoadingTheModel()
    {
        using var folder = new TemporaryDirectory();
        var options = new PiperTextToSpeechOptions { Phonemizer = new PhonemizerOptions { EspeakNgPath = folder.File("espeak-ng") } };

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() =>
            PiperTextToSpeech.LoadAsync(folder.File("no-such-voice.onnx"), options));

        Assert.StartsWith("TTS unavailable: espeak-ng not found", error.Message, StringComparison.Ordinal);
    }
}
