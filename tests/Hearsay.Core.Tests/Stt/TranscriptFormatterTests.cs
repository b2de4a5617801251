using System.Text.Json;
using Hearsay.Core.Stt;
using Hearsay.Core.Stt.Formats;

namespace Hearsay.Core.Tests.Stt;

public class TranscriptFormatterTests
{
    private static readonly Transcription Sample = new(
        " And so my fellow Americans. Ask not.",
        "en",
        11.0,
        [
            new TranscriptionSegment(0, 0, 0.0, 7.6, " And so my fellow Americans.", [50364, 400, 50744], 0.0, -0.25, 1.1, 0.01),
            new TranscriptionSegment(1, 0, 7.6, 3725.5, " Ask not --> what.", [50744, 12320, 50914], 0.2, -0.5, 1.3, 0.02),
            new TranscriptionSegment(2, 3000, 3725.5, 3725.5, string.Empty, [], 0.0, -0.1, 1.0, 0.9),
        ]);

    [Fact]
    public void Format_Json_HasOnlyTheText()
    {
        using var json = JsonDocument.Parse(TranscriptFormatter.Format(Sample, TranscriptFormat.Json));

        Assert.Equal(["text"], json.RootElement.EnumerateObject().Select(property => property.Name));
        Assert.Equal("And so my fellow Americans. Ask not.", json.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public void Format_Text_IsTheTextAndANewline() =>
        Assert.Equal("And so my fellow Americans. Ask not.\n", TranscriptFormatter.Format(Sample, TranscriptFormat.Text));

    [Theory]
    [InlineData(TranscriptionTask.Transcribe, "german")]
    [InlineData(TranscriptionTask.Translate, "english")]
    public void Format_VerboseJsonOfGermanSpeech_ReportsTheInputLanguageOrForTranslationsEnglish(TranscriptionTask task, string expected)
    {
        var german = Sample with { Language = "de" };

        using var json = JsonDocument.Parse(TranscriptFormatter.Format(german, TranscriptFormat.VerboseJson, task));

        Assert.Equal(expected, json.RootElement.GetProperty("language").GetString());
    }

    [Fact]
    public void Format_VerboseJson_HasOpenAiFieldsInOrder()
    {
        using var json = JsonDocument.Parse(TranscriptFormatter.Format(Sample, TranscriptFormat.VerboseJson, TranscriptionTask.Translate));
        var root = json.RootElement;

        Assert.Equal(["task", "language", "duration", "text", "segments"], root.EnumerateObject().Select(property => property.Name));
        Assert.Equal("translate", root.GetProperty("task").GetString());
        Assert.Equal("english", root.GetProperty("language").GetString());
        Assert.Equal(11.0, root.GetProperty("duration").GetDouble());
        var segment = root.GetProperty("segments")[1];
        Assert.Equal(
            ["id", "seek", "start", "end", "text", "tokens", "temperature", "avg_logprob", "compression_ratio", "no_speech_prob"],
            segment.EnumerateObject().Select(property => property.Name));
        Assert.Equal(" Ask not --> what.", segment.GetProperty("text").GetString());
        Assert.Equal([50744, 12320, 50914], segment.GetProperty("tokens").EnumerateArray().Select(token => token.GetInt32()));
        Assert.Equal(0.2, segment.GetProperty("temperature").GetDouble());
    }

    [Fact]
    public void Format_Srt_NumbersCuesWithCommaTimes()
    {
        const string expected =
            "1\n00:00:00,000 --> 00:00:07,600\nAnd so my fellow Americans.\n\n" +
            "2\n00:00:07,600 --> 01:02:05,500\nAsk not -> what.\n\n";

        Assert.Equal(expected, TranscriptFormatter.Format(Sample, TranscriptFormat.Srt));
    }

    [Fact]
    public void Format_Vtt_HasHeaderAndDotTimes()
    {
        const string expected =
            "WEBVTT\n\n" +
            "00:00:00.000 --> 00:00:07.600\nAnd so my fellow Americans.\n\n" +
            "00:00:07.600 --> 01:02:05.500\nAsk not -> what.\n\n";

        Assert.Equal(expected, TranscriptFormatter.Format(Sample, TranscriptFormat.Vtt));
    }

    [Theory]
    [InlineData("json", TranscriptFormat.Json)]
    [InlineData("verbose_json", TranscriptFormat.VerboseJson)]
    [InlineData("vtt", TranscriptFormat.Vtt)]
    public void TryParse_ApiName_Parses(string name, TranscriptFormat expected)
    {
        Assert.True(TranscriptFormatter.TryParse(name, out var format));
        Assert.Equal(expected, format);
    }

    [Fact]
    public void TryParse_UnknownName_Fails() => Assert.False(TranscriptFormatter.TryParse("xml", out _));

    [Theory]
    [InlineData("en", "en")]
    [InlineData("English", "en")]
    [InlineData("castilian", "es")]
    [InlineData("yue", "yue")]
    public void TryNormalize_CodeNameOrAlias_GivesCode(string input, string expected)
    {
        Assert.True(WhisperLanguages.TryNormalize(input, out var code));
        Assert.Equal(expected, code);
    }
}
