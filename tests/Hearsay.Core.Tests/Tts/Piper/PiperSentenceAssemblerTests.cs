using Hearsay.Core.Tts.Phonemization;
using Hearsay.Core.Tts.Piper;

namespace Hearsay.Core.Tests.Tts.Piper;

public sealed class PiperSentenceAssemblerTests
{
    private static List<SentencePhonemes> Assemble(params (string Text, ClauseEnd End, string Phonemes)[] clauses) =>
        PiperSentenceAssembler.Assemble(
            clauses.Select(c => new Clause(c.Text, c.End)).ToList(),
            clauses.Select(c => c.Phonemes).ToList());

    [Fact]
    public void Assemble_ClauseAndSentencePunctuation_FollowsPiperRules()
    {
        var sentences = Assemble(
            ("Hello world,", ClauseEnd.Comma, "həlˈoʊ wˈɜːld"),
            (" wait:", ClauseEnd.Colon, "wˈeɪt"),
            (" so;", ClauseEnd.Semicolon, "sˈoʊ"),
            (" then —", ClauseEnd.Dash, "ðˈɛn"),
            (" end.", ClauseEnd.Period, "ˈɛnd"),
            (" Why?", ClauseEnd.Question, "wˈaɪ"),
            (" Yes!", ClauseEnd.Exclamation, "jˈɛs"));

        Assert.Equal(
            ["həlˈoʊ wˈɜːld, wˈeɪt: sˈoʊ; ðˈɛn; ˈɛnd.", "wˈaɪ?", "jˈɛs!"],
            sentences.Select(s => s.Phonemes));
        Assert.Equal(["Hello world, wait: so; then — end.", "Why?", "Yes!"], sentences.Select(s => s.Text));
    }

    [Fact]
    public void Assemble_EllipsisAndLengthCut_JoinNextClauseWithSpace()
    {
        var sentences = Assemble(
            ("Hello...", ClauseEnd.Ellipsis, "həlˈoʊ"),
            (" long", ClauseEnd.None, "lˈɔŋ"),
            (" world", ClauseEnd.EndOfText, "wˈɜːld"));

        Assert.Equal("həlˈoʊ lˈɔŋ wˈɜːld", Assert.Single(sentences).Phonemes);
    }

    [Fact]
    public void Assemble_ParagraphAndEndOfText_EndSentenceWithoutMark()
    {
        var sentences = Assemble(("First\n\n", ClauseEnd.Paragraph, "fˈɜːst"), ("Second", ClauseEnd.EndOfText, "sˈɛkənd"));

        Assert.Equal(["fˈɜːst", "sˈɛkənd"], sentences.Select(s => s.Phonemes));
    }

    [Fact]
    public void Assemble_ComposedCharacters_AreDecomposedToNfd()
    {
        var phonemes = Assert.Single(Assemble(("façade", ClauseEnd.EndOfText, "fas\u00e7ad"))).Phonemes;

        Assert.Equal("fasc\u0327ad", phonemes);
    }

    [Fact]
    public void Assemble_LanguageSwitchFlags_AreRemoved()
    {
        var phonemes = Assert.Single(Assemble(("chez", ClauseEnd.EndOfText, "(fr)ʃe(en) ænd"))).Phonemes;

        Assert.Equal("ʃe ænd", phonemes);
    }

    [Fact]
    public void Assemble_SentenceWithoutPhonemes_IsDropped()
    {
        var sentences = Assemble(("...", ClauseEnd.EndOfText, ""), ("Hi.", ClauseEnd.Period, "hˈaɪ"));

        Assert.Equal("hˈaɪ.", Assert.Single(sentences).Phonemes);
    }

    [Fact]
    public void Assemble_MismatchedCounts_Throws()
    {
        Assert.Throws<ArgumentException>(() =>
            PiperSentenceAssembler.Assemble([new Clause("a", ClauseEnd.EndOfText)], []));
    }
}
