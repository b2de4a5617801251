using Hearsay.Core.Tts;
using Hearsay.Core.Tts.Piper;
using Hearsay.Testing;

namespace Hearsay.Core.Tests.Tts;

public sealed class VoiceSpeakersTests
{
    private static readonly VoiceSpeakers Multi = Load(PiperExpectations.MultiSpeakerVoice);
    private static readonly VoiceSpeakers Single = Load(PiperExpectations.SingleSpeakerVoice);

    private static VoiceSpeakers Load(string voice)
    {
        var config = PiperVoiceConfig.Load(voice + ".json");
        return new VoiceSpeakers(config.SpeakerCount, config.SpeakerIds);
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData("", 0)]
    [InlineData("3", 3)]
    [InlineData("cori", 2)]
    [InlineData(" bryce ", 1)]
    public void Resolve_MultiSpeaker_ByIdOrName(string? speaker, int expected)
    {
        Assert.Equal(expected, Multi.Resolve(speaker));
    }

    [Fact]
    public void Resolve_SingleSpeakerWithoutRequest_IsNull()
    {
        Assert.Null(Single.Resolve(null));
    }

    [Theory]
    [InlineData("zed", "Unknown speaker 'zed'. This voice has: alba (0), bryce (1), cori (2), dane (3).")]
    [InlineData("4", "Unknown speaker 4: this voice has speakers 0 to 3.")]
    [InlineData("-1", "Unknown speaker '-1'.")]
    public void Resolve_UnknownSpeaker_ThrowsInvalidInputListingSpeakers(string speaker, string message)
    {
        var error = Assert.Throws<HearsayException>(() => Multi.Resolve(speaker));

        Assert.Equal(HearsayErrorCode.InvalidInput, error.Code);
        Assert.Equal(nameof(SpeakOptions.Speaker), error.OptionName);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cori", true)]
    [InlineData("3", true)]
    [InlineData("4", false)]
    [InlineData("Cori", false)]
    [InlineData("-1", false)]
    public void Contains_MultiSpeaker_KnowsItsSpeakersByNameOrId(string speaker, bool expected)
    {
        Assert.Equal(expected, Multi.Contains(speaker));
        Assert.False(Single.Contains(speaker));
    }

    [Fact]
    public void Describe_ManyOrUnnamedSpeakers_ListsTwentyOrTheRange()
    {
        var many = new VoiceSpeakers(25, Enumerable.Range(0, 25).ToDictionary(i => $"s{i:00}", i => i));
        var unnamed = new VoiceSpeakers(3, new Dictionary<string, int>());

        Assert.EndsWith("s18 (18), s19 (19), and 5 more", many.Describe(), StringComparison.Ordinal);
        Assert.Equal("speakers 0 to 2", unnamed.Describe());
        Assert.Equal(2, unnamed.Resolve("2"));
    }

    [Fact]
    public void Resolve_SpeakerOnSingleSpeakerVoice_ThrowsInvalidInput()
    {
        var error = Assert.Throws<HearsayException>(() => Single.Resolve("1"));

        Assert.Equal("Unknown speaker '1': this voice has a single speaker.", error.Message);
    }
}
