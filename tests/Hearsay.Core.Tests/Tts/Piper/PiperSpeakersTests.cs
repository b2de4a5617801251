using Hearsay.Core.Tts.Piper;
using Hearsay.Testing;

namespace Hearsay.Core.Tests.Tts.Piper;

public sealed class PiperSpeakersTests
{
    private static readonly PiperVoiceConfig Multi = PiperVoiceConfig.Load(PiperExpectations.MultiSpeakerVoice + ".json");
    private static readonly PiperVoiceConfig Single = PiperVoiceConfig.Load(PiperExpectations.SingleSpeakerVoice + ".json");

    [Theory]
    [InlineData(null, 0)]
    [InlineData("", 0)]
    [InlineData("3", 3)]
    [InlineData("cori", 2)]
    [InlineData(" bryce ", 1)]
    public void Resolve_MultiSpeaker_ByIdOrName(string? speaker, int expected)
    {
        Assert.Equal(expected, PiperSpeakers.Resolve(Multi, speaker));
    }

    [Fact]
    public void Resolve_SingleSpeakerWithoutRequest_IsNull()
    {
        Assert.Null(PiperSpeakers.Resolve(Single, null));
    }

    [Theory]
    [InlineData("zed", "Unknown speaker 'zed'. This voice has: alba (0), bryce (1), cori (2), dane (3).")]
    [InlineData("4", "Unknown speaker 4: this voice has speakers 0 to 3.")]
    [InlineData("-1", "Unknown speaker '-1'.")]
    public void Resolve_UnknownSpeaker_ThrowsInvalidInputListingSpeakers(string speaker, string message)
    {
        var error = Assert.Throws<HearsayException>(() => PiperSpeakers.Resolve(Multi, speaker));

        Assert.Equal(HearsayErrorCode.InvalidInput, error.Code);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_SpeakerOnSingleSpeakerVoice_ThrowsInvalidInput()
    {
        var error = Assert.Throws<HearsayException>(() => PiperSpeakers.Resolve(Single, "1"));

        Assert.Equal("Unknown speaker '1': this voice has a single speaker.", error.Message);
    }
}
