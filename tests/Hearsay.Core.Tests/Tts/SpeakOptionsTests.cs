using Hearsay.Core.Tts;

namespace Hearsay.Core.Tests.Tts;

public sealed class SpeakOptionsTests
{
    public static TheoryData<SpeakOptions, string, string> Invalid => new()
    {
        { new SpeakOptions { Speed = 0.2f }, nameof(SpeakOptions.Speed), "Speed 0.2 is out of range: use 0.25 to 4." },
        { new SpeakOptions { Speed = float.PositiveInfinity }, nameof(SpeakOptions.Speed), "Speed Infinity is out of range: use 0.25 to 4." },
        { new SpeakOptions { SentenceSilence = TimeSpan.FromSeconds(-1) }, nameof(SpeakOptions.SentenceSilence), "Sentence silence -1 s is out of range: use 0 to 10 s." },
        { new SpeakOptions { NoiseScale = float.NaN }, nameof(SpeakOptions.NoiseScale), "Noise scale NaN is out of range: use 0 to 10." },
        { new SpeakOptions { NoiseW = 10.5f }, nameof(SpeakOptions.NoiseW), "Noise w 10.5 is out of range: use 0 to 10." },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_OutOfRange_ThrowsInvalidInputNamingTheOption(SpeakOptions options, string option, string message)
    {
        var error = Assert.Throws<HearsayException>(options.Validate);

        Assert.Equal(HearsayErrorCode.InvalidInput, error.Code);
        Assert.Equal(option, error.OptionName);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Validate_TheLimits_AreAccepted()
    {
        var slowest = new SpeakOptions { Speed = SpeakOptions.MinSpeed, NoiseScale = 0, NoiseW = SpeakOptions.MaxNoise, SentenceSilence = SpeakOptions.MaxSentenceSilence };
        var fastest = new SpeakOptions { Speed = SpeakOptions.MaxSpeed };

        Assert.Null(Record.Exception(slowest.Validate));
        Assert.Null(Record.Exception(fastest.Validate));
    }
}
