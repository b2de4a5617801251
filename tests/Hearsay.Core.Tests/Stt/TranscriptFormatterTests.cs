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

    private static readonly Transcription WithWords = new(
        " And so my fellow Americans. Ask",
        "en",
        11.0,
        [
            new TranscriptionSegment(0, 0, 0.5, 2.5, " And so my fellow Americans.", [400], 0.0, -0.25, 1.1, 0.01)
            {
                Words =
                [
                    new(" And", 0.5, 0.7), new(" so", 0.7, 0.9), new(" my", 0.9, 1.1), new(" fellow", 1.1, 1.5), new(" Americans.", 1.5, 2.5),
                ],
            },
            new TranscriptionSegment(1, 0, 2.5, 3.0, " Ask", [12320], 0.0, -0.25, 1.1, 0.01) { Words = [new(" Ask", 2.6, 3.0)] },
        ]);

    [Fact]
    public void FormatText_SrtCutPerWord_HasACueForEachWord()
    {
        var srt = TranscriptFormatter.FormatText(WithWords, TranscriptFormat.Srt, SubtitleCues.Words);

        Assert.StartsWith("1\n00:00:00,500 --> 00:00:00,700\nAnd\n\n2\n00:00:00,700 --> 00:00:00,900\nso\n\n", srt, StringComparison.Ordinal);
        Assert.EndsWith("6\n00:00:02,600 --> 00:00:03,000\nAsk\n\n", srt, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatText_VttCutInLines_GathersWholeWordsUpToTheWidthWithinASegment()
    {
        const string expected =
            "WEBVTT\n\n" +
            "00:00:00.500 --> 00:00:01.100\nAnd so my\n\n" +
            "00:00:01.100 --> 00:00:01.500\nfellow\n\n" +
            "00:00:01.500 --> 00:00:02.500\nAmericans.\n\n" +
            "00:00:02.600 --> 00:00:03.000\nAsk\n\n";

        Assert.Equal(expected, TranscriptFormatter.FormatText(WithWords, TranscriptFormat.Vtt, SubtitleCues.Lines(9)));
    }

    [Fact]
    public void FormatText_CutAtWordsWithoutWords_KeepsTheSegmentCues() =>
        Assert.Equal(
            TranscriptFormatter.FormatText(Sample, TranscriptFormat.Srt),
            TranscriptFormatter.FormatText(Sample, TranscriptFormat.Srt, SubtitleCues.Words));

    [Fact]
    public void Lines_NotPositive_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => SubtitleCues.Lines(0));

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
