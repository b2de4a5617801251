using Hearsay.Core.Stt.Whisper.Model;

namespace Hearsay.Core.Tests.Stt.Whisper.Model;

public class AlignmentHeadsTests
{
    [Fact]
    public void Resolve_Declared_WinsOverThePublishedSet()
    {
        Assert.Equal([new AlignmentHead(1, 0), new AlignmentHead(3, 5)], AlignmentHeads.Resolve("1:0, 3:5", "whisper-tiny.en", 4, 6));
    }

    [Fact]
    public void Resolve_KnownModelType_TakesOpenAisSet()
    {
        Assert.Equal(
            [new AlignmentHead(3, 3), new AlignmentHead(4, 7), new AlignmentHead(5, 1), new AlignmentHead(5, 5), new AlignmentHead(5, 7)],
            AlignmentHeads.Resolve(null, "whisper-base.en", 6, 8));
    }

    [Theory]
    [InlineData("whisper-unknown", 4, 2)]
    [InlineData("whisper-tiny.en", 2, 2)] // a published set that does not fit the shape
    public void Resolve_NoFittingSet_TakesEveryHeadOfTheUpperHalf(string modelType, int layers, int heads)
    {
        var resolved = AlignmentHeads.Resolve(null, modelType, layers, heads);

        Assert.Equal(
            Enumerable.Range(layers / 2, layers - (layers / 2)).SelectMany(layer => Enumerable.Range(0, heads).Select(head => new AlignmentHead(layer, head))),
            resolved);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("4:0")]
    [InlineData("0:-1")]
    [InlineData("a:b")]
    public void Parse_Malformed_Throws(string text) =>
        Assert.Throws<FormatException>(() => AlignmentHeads.Parse(text, 4, 6));
}
