using Hearsay.Core.Tts.Piper;

namespace Hearsay.Core.Tests.Tts.Piper;

public sealed class PiperTextToSpeechNormalizationTests
{
    [Fact]
    public void NormalizeAfterSilence_StartsWithZerosThenScalesPeakToOne()
    {
        var result = PiperTextToSpeech.NormalizeAfterSilence([0.25f, -0.5f, 0.1f], silenceSamples: 2);

        Assert.Equal([0f, 0f, 0.5f, -1f, 0.2f], result);
    }

    [Fact]
    public void NormalizeAfterSilence_NearSilence_GainIsCappedAt100LikePiper()
    {
        var result = PiperTextToSpeech.NormalizeAfterSilence([0.001f, -0.002f], silenceSamples: 0);

        Assert.Equal(0.1f, result[0], 6);
        Assert.Equal(-0.2f, result[1], 6);
    }
}
