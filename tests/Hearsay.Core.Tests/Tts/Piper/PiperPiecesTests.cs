using System.Text;
using Hearsay.Core.Tts.Piper;

namespace Hearsay.Core.Tests.Tts.Piper;

public sealed class PiperPiecesTests
{
    private static int Phonemes(string piece) => piece.EnumerateRunes().Count();

    [Fact]
    public void Cut_SentenceThatFits_IsOnePiece()
    {
        Assert.Equal(["həlˈoʊ, wˈɜːld."], PiperPieces.Cut("həlˈoʊ, wˈɜːld.", 15));
    }

    [Fact]
    public void Cut_ClausePunctuationInReach_CutsAfterItAndKeepsIt()
    {
        var pieces = PiperPieces.Cut("aaa bbb, ccc ddd; eee fff.", 20);

        Assert.Equal(["aaa bbb, ccc ddd;", "eee fff."], pieces);
    }

    [Fact]
    public void Cut_NoClausePunctuationInReach_CutsAtTheLastSpaceWithoutAMark()
    {
        var pieces = PiperPieces.Cut("aaa bbb ccc ddd eee fff.", 10);

        Assert.Equal(["aaa bbb", "ccc ddd", "eee fff."], pieces);
    }

    [Fact]
    public void Cut_OnlyTheLastPiece_EndsWithTheSentencesMark()
    {
        var sentence = string.Join(' ', Enumerable.Repeat("wˈʌn tˈuː", 200)) + "?";

        var pieces = PiperPieces.Cut(sentence, 100);

        Assert.All(pieces[..^1], p => Assert.DoesNotContain(p[^1], ".?!"));
        Assert.EndsWith("?", pieces[^1], StringComparison.Ordinal);
        Assert.Equal(sentence.Replace(" ", "", StringComparison.Ordinal), string.Concat(pieces).Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Cut_SpaceRightAfterAFullPiece_CutsThere()
    {
        Assert.Equal(["abcde", "fgh."], PiperPieces.Cut("abcde fgh.", 5));
    }

    [Fact]
    public void Cut_TenThousandPhonemesWithoutSpacesOrPunctuation_CutsWherePiecesAreFull()
    {
        var sentence = new string('a', 10_000);

        var pieces = PiperPieces.Cut(sentence, 400);

        Assert.Equal(25, pieces.Count);
        Assert.All(pieces, p => Assert.Equal(400, p.Length));
    }

    [Fact]
    public void Cut_SupplementaryCharacters_CountsAndKeepsWholeCodePoints()
    {
        var sentence = string.Concat(Enumerable.Repeat("😀", 7));

        var pieces = PiperPieces.Cut(sentence, 3);

        Assert.Equal([3, 3, 1], pieces.Select(Phonemes));
        Assert.Equal(sentence, string.Concat(pieces));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(400)]
    public void Cut_AnyText_BoundsEveryPieceAndLosesNoPhoneme(int maxPhonemes)
    {
        var random = new Random(maxPhonemes);
        const string Alphabet = "aəɪˈˌː ,:;.ç\u0327😀";
        var text = new StringBuilder();
        while (text.Length < 10_000)
        {
            text.Append(char.IsSurrogate(Alphabet[^1]) && random.Next(20) == 0 ? "😀" : Alphabet[random.Next(Alphabet.Length - 2)].ToString());
        }

        var sentence = text.ToString();
        var pieces = PiperPieces.Cut(sentence, maxPhonemes);

        Assert.All(pieces, p => Assert.InRange(Phonemes(p), 1, maxPhonemes));
        Assert.All(pieces, p => Assert.Equal(p.Trim(), p));
        Assert.Equal(sentence.Replace(" ", "", StringComparison.Ordinal), string.Concat(pieces).Replace(" ", "", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1f, 350)]
    [InlineData(4f, 350)]
    [InlineData(0.5f, 175)]
    [InlineData(0.25f, 87)]
    public void MaxPhonemes_SlowerSpeech_GetsProportionallyShorterPieces(float speed, int expected)
    {
        Assert.Equal(expected, PiperPieces.MaxPhonemes(speed));
    }
}
