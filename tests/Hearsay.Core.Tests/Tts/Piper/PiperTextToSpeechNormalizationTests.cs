using Hearsay.Core.Tts.Piper;

namespace Hearsay.Core.Tests.Tts.Piper;

public sealed class PiperTextToSpeechNormalizationTests
{
    [Fact]
    public void NormalizeWithSilence_ScalesPeakToOneAndAppendsZeros()
    {
        var result = PiperTextToSpeech.NormalizeWithSilence([0.25f, -0.5f, 0.1f], silenceSamples: 2);

        Assert.Equal([0.5f, -1f, 0.2f, 0f, 0f], result);
    }

    [Fact]
    public void NormalizeWithSilence_NearSilence_GainIsCappedAt100LikePiper()
    {
        var result = PiperTextToSpeech.NormalizeWithSilence([0.001f, -0.002f], silenceSamples: 0);

        Assert.Equal(0.1f, result[0], 6);
        Assert.Equal(-0.2f, result[1], 6);
    }
}
