using Hearsay.Core.Tts.Phonemization;

namespace Hearsay.Core.Tests.Tts.Phonemization;

public sealed class ClauseSplitterTests
{
    public static TheoryData<string, string[], string> Cases => new()
    {
        { "Hello world, this is a test. Is it?", ["Hello world,", " this is a test.", " Is it?"], "Comma Period Question" },
        { "Wait: what; really!", ["Wait:", " what;", " really!"], "Colon Semicolon Exclamation" },
        { "No punctuation", ["No punctuation"], "EndOfText" },
        { "Dr. Smith", ["Dr.", " Smith"], "Period EndOfText" },
        { "Baker St. in London.", ["Baker St. in London."], "Period" },
        { "Baker St.  in London.", ["Baker St.  in London."], "Period" },
        { "The.\ncafé", ["The.", "\ncafé"], "Period EndOfText" },
        { "(Mr.) what", ["(Mr.)", " what"], "Period EndOfText" },
        { "It costs 3.50, i.e. cheap.", ["It costs 3.50,", " i.e. cheap."], "Comma Period" },
        { "at 9 a.m.; then", ["at 9 a.m.; then"], "EndOfText" },
        { "\"Hello,\" she said.", ["\"Hello,\"", " she said."], "Comma Period" },
        { "Café — naïve?", ["Café —", " naïve?"], "Dash Question" },
        { "Well–maybe", ["Well–maybe"], "EndOfText" },
        { "Hello... world.", ["Hello...", " world."], "Ellipsis Period" },
        { "Hello… world", ["Hello…", " world"], "Ellipsis EndOfText" },
        { "Wow?! Yes", ["Wow?!", " Yes"], "Exclamation EndOfText" },
        { "!!! Hello", ["!!! Hello"], "EndOfText" },
        { "First\n\nSecond", ["First\n\n", "Second"], "Paragraph EndOfText" },
        { "One\ntwo", ["One\ntwo"], "EndOfText" },
        { "你好。世界", ["你好。", "世界"], "Period EndOfText" },
        { "Hello. ", ["Hello."], "Period" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Split_Text_FindsEspeakClausesAndTheirPunctuation(string text, string[] expectedTexts, string expectedEnds)
    {
        var clauses = ClauseSplitter.Split(text);

        Assert.Equal(expectedTexts, clauses.Select(c => c.Text));
        Assert.Equal(expectedEnds, string.Join(' ', clauses.Select(c => c.End)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    public void Split_EmptyOrWhitespace_ReturnsNoClauses(string text)
    {
        Assert.Empty(ClauseSplitter.Split(text));
    }

    [Fact]
    public void Split_LongClause_CutsAfterFirstNonAlphanumericPast725Bytes()
    {
        var text = string.Join(' ', Enumerable.Repeat("alpha beta gamma delta", 60));

        var clauses = ClauseSplitter.Split(text);

        Assert.True(clauses.Count > 1);
        Assert.All(clauses.SkipLast(1), c => Assert.Equal(ClauseEnd.None, c.End));
        Assert.All(clauses.SkipLast(1), c =>
        {
            var bytes = System.Text.Encoding.UTF8.GetByteCount(c.Text.TrimStart());
            Assert.InRange(bytes, ClauseSplitter.LongClauseBytes + 1, ClauseSplitter.LongClauseBytes + 30);
        });
        Assert.Equal(text, string.Concat(clauses.Select(c => c.Text)));
    }

    [Fact]
    public void Split_AnyText_KeepsEveryCharacterInOrder()
    {
        const string text = "  Mr. Jones (aged 42) said: \"Hi!\" — then… left.\n\nThe end?! ";

        var clauses = ClauseSplitter.Split(text);

        Assert.Equal(text.TrimEnd(), string.Concat(clauses.Select(c => c.Text)).TrimEnd());
    }

    [Theory]
    [InlineData("Use [[brackets]]", "Use [ [brackets]]")]
    [InlineData("a\u0001b\u001bc", "a b c")]
    [InlineData("keep\nlines\tand\r\ntabs", "keep\nlines\tand\r\ntabs")]
    public void ToEspeakInput_NeutralizesPhonemeAndCommandSyntax(string text, string expected)
    {
        Assert.Equal(expected, ClauseSplitter.ToEspeakInput(text));
    }
}
