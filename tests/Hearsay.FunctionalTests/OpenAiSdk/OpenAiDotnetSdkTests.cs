using System.ClientModel;
using System.Text.RegularExpressions;
using Hearsay.FunctionalTests.Server;
using Hearsay.Testing;
using OpenAI;
using OpenAI.Audio;

namespace Hearsay.FunctionalTests.OpenAiSdk;

/// <summary>The official OpenAI .NET SDK (NuGet <c>OpenAI</c>) against Hearsay, with only the endpoint and key changed.</summary>
/// <remarks>The SDK marks its streaming audio API as evaluation-only (OPENAI001); it is exactly what apps will call.</remarks>
#pragma warning disable OPENAI001
public partial class OpenAiDotnetSdkTests(OpenAiSdkServer sdk) : IClassFixture<OpenAiSdkServer>
{
    private static readonly string Jfk = TestPaths.SharedFile("audio", "wav16k", "jfk.wav");

    [Fact]
    public async Task TranscribeAudio_Verbose_HasSegmentsWithEveryField()
    {
        var options = new AudioTranscriptionOptions
        {
            ResponseFormat = AudioTranscriptionFormat.Verbose,
            Language = "en",
            Temperature = 0,
            TimestampGranularities = AudioTimestampGranularities.Segment,
        };

        AudioTranscription transcription = await sdk.Audio("whisper-1").TranscribeAudioAsync(Jfk, options);

        Assert.Equal("english", transcription.Language);
        Assert.InRange(transcription.Duration!.Value.TotalSeconds, 10.9, 11.1);
        Assert.NotEmpty(transcription.Segments);
        Assert.All(transcription.Segments, segment =>
        {
            Assert.True(segment.EndTime >= segment.StartTime);
            Assert.False(segment.TokenIds.IsEmpty);
            Assert.InRange(segment.NoSpeechProbability, 0, 1);
        });
        Assert.Equal(transcription.Text.Trim(), string.Concat(transcription.Segments.Select(segment => segment.Text)).Trim());
    }

    [Fact]
    public async Task TranscribeAudio_WordAndSegmentGranularities_HasWordsInOrder()
    {
        var options = new AudioTranscriptionOptions
        {
            ResponseFormat = AudioTranscriptionFormat.Verbose,
            Language = "en",
            Temperature = 0,
            TimestampGranularities = AudioTimestampGranularities.Word | AudioTimestampGranularities.Segment,
        };

        AudioTranscription transcription = await sdk.Audio("whisper-1").TranscribeAudioAsync(Jfk, options);

        Assert.NotEmpty(transcription.Segments);
        Assert.NotEmpty(transcription.Words);
        Assert.All(transcription.Words, word =>
        {
            Assert.Equal(word.Word.Trim(), word.Word);
            Assert.NotEqual(string.Empty, word.Word);
            Assert.InRange(word.EndTime, word.StartTime, transcription.Duration!.Value + TimeSpan.FromSeconds(0.5));
        });
        Assert.Equal(transcription.Words.Select(word => word.StartTime).Order(), transcription.Words.Select(word => word.StartTime));
    }

    [Theory]
    [InlineData("simple")]
    [InlineData("text")]
    [InlineData("srt")]
    [InlineData("vtt")]
    public async Task TranscribeAudio_OtherFormats_AreParsedBySdk(string format)
    {
        var options = new AudioTranscriptionOptions { ResponseFormat = new AudioTranscriptionFormat(format == "simple" ? "json" : format), Temperature = 0 };

        AudioTranscription transcription = await sdk.Audio("whisper-1").TranscribeAudioAsync(Jfk, options);

        Assert.False(string.IsNullOrWhiteSpace(transcription.Text));
        if (format is "srt" or "vtt")
        {
            Assert.Matches(CueTiming(), transcription.Text);
        }
    }

    [Fact]
    public async Task TranscribeAudioStreaming_DeltasAddUpToTheDoneText()
    {
        var options = new AudioTranscriptionOptions { Temperature = 0 };
        var deltas = new List<string>();
        string? done = null;

        // OpenAI streams only from its gpt-4o transcription models, and the SDK checks the name; Hearsay answers to it.
        await foreach (var update in await sdk.Audio("gpt-4o-mini-transcribe").TranscribeAudioStreamingAsync(Jfk, options))
        {
            switch (update)
            {
                case StreamingAudioTranscriptionTextDeltaUpdate delta:
                    deltas.Add(delta.Delta);
                    break;
                case StreamingAudioTranscriptionTextDoneUpdate finished:
                    done = finished.Text;
                    break;
            }
        }

        Assert.NotEmpty(deltas);
        Assert.Equal(done, string.Concat(deltas));
    }

    [Fact]
    public async Task TranslateAudio_MultilingualModel_IsParsedAsATranslation()
    {
        await using var server = await ServerUnderTest.StartAsync(
            configure: options => options with { SttModel = WhisperExpectations.ModelDirectory("tiny-multi") });
        var client = new OpenAIClient(new ApiKeyCredential(server.Ready.Token), new OpenAIClientOptions { Endpoint = new Uri(server.BaseUrl, "/v1") });

        AudioTranslation translation = await client.GetAudioClient("whisper-1").TranslateAudioAsync(
            Jfk, new AudioTranslationOptions { ResponseFormat = AudioTranslationFormat.Verbose, Temperature = 0 });

        Assert.Equal("english", translation.Language);
        Assert.NotEmpty(translation.Segments);
        Assert.InRange(translation.Duration!.Value.TotalSeconds, 10.9, 11.1);
    }

    [Fact]
    public async Task TranslateAudio_EnglishOnlyModel_IsABadRequestSayingWhy()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => sdk.Audio("whisper-1").TranslateAudioAsync(Jfk));

        Assert.Equal(400, error.Status);
        Assert.Contains("multilingual", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateSpeech_WavAndPcm_AreAudio()
    {
        var audio = sdk.Audio("tts-1");

        BinaryData wav = await audio.GenerateSpeechAsync("Hello there. This is Hearsay.", GeneratedSpeechVoice.Alloy, new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Wav });
        BinaryData pcm = await audio.GenerateSpeechAsync("Hello there.", GeneratedSpeechVoice.Nova, new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Pcm, SpeedRatio = 1.5f });

        Assert.Equal("RIFF"u8.ToArray(), wav.ToArray()[..4]);
        Assert.Equal("WAVE"u8.ToArray(), wav.ToArray()[8..12]);
        Assert.True(pcm.ToArray().Length > 1000);
        Assert.Equal(0, pcm.ToArray().Length % 2);
    }

    [Fact]
    public async Task GenerateSpeechStreaming_YieldsAudioDeltasThenDone()
    {
        var options = new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Pcm };
        var audioBytes = 0;
        var deltas = 0;
        SpeechTokenUsage? usage = null;

        // As for transcription, the SDK allows event streams only for gpt-4o-mini-tts, which Hearsay answers to.
        await foreach (var update in await sdk.Audio("gpt-4o-mini-tts").GenerateSpeechStreamingAsync("One sentence. Another sentence.", GeneratedSpeechVoice.Alloy, options))
        {
            switch (update)
            {
                case StreamingSpeechAudioDeltaUpdate delta:
                    deltas++;
                    audioBytes += delta.AudioBytes.ToArray().Length;
                    break;
                case StreamingSpeechAudioDoneUpdate finished:
                    usage = finished.Usage;
                    break;
            }
        }

        Assert.True(deltas >= 2, $"{deltas} delta(s)");
        Assert.True(audioBytes > 1000);
        Assert.NotNull(usage);
    }

    [Fact]
    public async Task Models_ListIncludesOpenAisNames()
    {
        var models = await sdk.Client().GetOpenAIModelClient().GetModelsAsync();

        Assert.Contains(models.Value, model => model.Id == "whisper-1");
        Assert.Contains(models.Value, model => model.Id == "tts-1");
    }

    [Fact]
    public async Task AnyCall_WrongKey_Is401AndUnknownModelIs404()
    {
        var wrongKey = await Assert.ThrowsAsync<ClientResultException>(() =>
            sdk.Audio("tts-1", key: "not-the-token-of-this-server").GenerateSpeechAsync("Hello.", GeneratedSpeechVoice.Alloy));
        var unknownModel = await Assert.ThrowsAsync<ClientResultException>(() =>
            sdk.Audio("whisper-large-v9").TranscribeAudioAsync(Jfk));

        Assert.Equal(401, wrongKey.Status);
        Assert.Equal(404, unknownModel.Status);
    }

    [GeneratedRegex(@"\d\d:\d\d:\d\d[,.]\d\d\d --> \d\d:\d\d:\d\d[,.]\d\d\d")]
    private static partial Regex CueTiming();
}
