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

    [Theory]
    [InlineData("whisper-tiny.en\n")]
    [InlineData("a\n")]
    [InlineData("a\r\n")]
    [InlineData("a\nb")]
    public void IsValid_LineBreakAnywhere_IsRejected(string id) => Assert.False(ModelId.IsValid(id));

    [Theory]
    [InlineData("CON")]
    [InlineData("con")]
    [InlineData("Nul")]
    [InlineData("PRN")]
    [InlineData("aux")]
    [InlineData("COM1")]
    [InlineData("com9")]
    [InlineData("LPT1")]
    [InlineData("lpt0")]
    [InlineData("NUL.txt")]
    [InlineData("con.tar.gz")]
    [InlineData("Com1.onnx")]
    public void IsValid_WindowsDeviceNames_AreRejectedWithAnyExtensionAndCase(string id) => Assert.False(ModelId.IsValid(id));

    [Theory]
    [InlineData("model.")]
    [InlineData("whisper-tiny.en.")]
    public void IsValid_TrailingDot_IsRejected(string id) => Assert.False(ModelId.IsValid(id));

    [Theory]
    [InlineData("console")]
    [InlineData("null-voice")]
    [InlineData("com10")]
    [InlineData("lpt")]
    [InlineData("auxiliary.en")]
    [InlineData("x.con")]
    public void IsValid_NamesThatOnlyStartLikeADevice_AreAccepted(string id) => Assert.True(ModelId.IsValid(id));
}
