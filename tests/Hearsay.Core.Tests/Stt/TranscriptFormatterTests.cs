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
    public void FormatText_Text_IsTheTextAndANewline() =>
        Assert.Equal("And so my fellow Americans. Ask not.\n", TranscriptFormatter.FormatText(Sample, TranscriptFormat.Text));

    [Theory]
    [InlineData(TranscriptFormat.Json)]
    [InlineData(TranscriptFormat.VerboseJson)]
    public void FormatText_JsonFormat_IsRefused(TranscriptFormat format) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TranscriptFormatter.FormatText(Sample, format));

    [Fact]
    public void FormatText_Srt_NumbersCuesWithCommaTimes()
    {
        const string expected =
            "1\n00:00:00,000 --> 00:00:07,600\nAnd so my fellow Americans.\n\n" +
            "2\n00:00:07,600 --> 01:02:05,500\nAsk not -> what.\n\n";

        Assert.Equal(expected, TranscriptFormatter.FormatText(Sample, TranscriptFormat.Srt));
    }

    [Fact]
    public void FormatText_Vtt_HasHeaderAndDotTimes()
    {
        const string expected =
            "WEBVTT\n\n" +
            "00:00:00.000 --> 00:00:07.600\nAnd so my fellow Americans.\n\n" +
            "00:00:07.600 --> 01:02:05.500\nAsk not -> what.\n\n";

        Assert.Equal(expected, TranscriptFormatter.FormatText(Sample, TranscriptFormat.Vtt));
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
