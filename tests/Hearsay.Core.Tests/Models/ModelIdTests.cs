using Hearsay.Core.Models;

namespace Hearsay.Core.Tests.Models;

public class ModelIdTests
{
    [Theory]
    [InlineData("whisper-tiny.en")]
    [InlineData("piper-en_US-lessac-medium")]
    [InlineData("a")]
    public void IsValid_CatalogStyleIds_AreAccepted(string id) => Assert.True(ModelId.IsValid(id));

    [Theory]
    [InlineData("../x")]
    [InlineData("..")]
    [InlineData("a/../../b")]
    [InlineData("/etc/passwd")]
    [InlineData("C:\\models\\x")]
    [InlineData("x\\..\\y")]
    [InlineData(".hidden")]
    [InlineData("-flag")]
    [InlineData("a..b")]
    [InlineData("with space")]
    [InlineData("")]
    [InlineData(null)]
    public void Validate_TraversalAbsoluteOrOddIds_AreInvalidInput(string? id)
    {
        var error = Assert.Throws<HearsayException>(() => ModelId.Validate(id));

        Assert.Equal(HearsayErrorCode.InvalidInput, error.Code);
    }

    [Fact]
    public void IsValid_TooLong_IsRejected() => Assert.False(ModelId.IsValid(new string('a', 129)));
}
