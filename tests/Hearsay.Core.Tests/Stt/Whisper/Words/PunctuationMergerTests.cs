using Hearsay.Core.Stt.Whisper.Words;

namespace Hearsay.Core.Tests.Stt.Whisper.Words;

public class PunctuationMergerTests
{
    private static List<TimedWord> Words(params string[] words) =>
        [.. words.Select((word, i) => new TimedWord(word, [i]))];

    [Fact]
    public void Merge_ClosingMarks_JoinTheWordBefore()
    {
        var words = Words(" Hello", ",", " world", ".", "\"");

        PunctuationMerger.Merge(words);

        Assert.Equal([" Hello,", "", " world.\"", "", ""], words.Select(word => word.Word));
        Assert.Equal([2, 3, 4], words[2].Tokens);
    }

    [Fact]
    public void Merge_OpeningMarkAfterASpace_JoinsTheWordAfter()
    {
        var words = Words(" said", " (", " quietly", ")");

        PunctuationMerger.Merge(words);

        Assert.Equal([" said", "", " ( quietly)", ""], words.Select(word => word.Word));
        Assert.Equal([1, 2, 3], words[2].Tokens);
    }
}
