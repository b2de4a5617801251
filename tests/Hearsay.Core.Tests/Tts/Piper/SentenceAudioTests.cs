using Hearsay.Core.Tts.Piper;

namespace Hearsay.Core.Tests.Tts.Piper;

public sealed class SentenceAudioTests
{
    private const int Rate = 1000; // 10 fade samples

    private static float[] Constant(float value) => Enumerable.Repeat(value, 100).ToArray();

    [Fact]
    public void Next_OnePiece_StartsWithZerosThenScalesPeakToOne()
    {
        var result = new SentenceAudio(Rate).Next([0.25f, -0.5f, 0.1f], silenceSamples: 2, cutBefore: false, cutAfter: false);

        Assert.Equal([0f, 0f, 0.5f, -1f, 0.2f], result);
    }

    [Fact]
    public void Next_NearSilence_GainIsCappedAt100LikePiper()
    {
        var result = new SentenceAudio(Rate).Next([0.001f, -0.002f], silenceSamples: 0, cutBefore: false, cutAfter: false);

        Assert.Equal(0.1f, result[0], 6);
        Assert.Equal(-0.2f, result[1], 6);
    }

    [Fact]
    public void Next_LouderLaterPiece_LowersTheGainSoNothingPassesFullScale()
    {
        var audio = new SentenceAudio(Rate);

        var first = audio.Next(Constant(0.25f), 0, cutBefore: false, cutAfter: true);
        var second = audio.Next(Constant(0.5f), 0, cutBefore: true, cutAfter: true);
        var third = audio.Next(Constant(0.25f), 0, cutBefore: true, cutAfter: false);

        Assert.Equal(1f, first[50]);
        Assert.Equal(1f, second[50]);
        // The sentence's peak so far is 0.5: the quiet piece after the loud one keeps the loud one's gain.
        Assert.Equal(0.5f, third[50]);
    }

    [Fact]
    public void Next_AtACut_FadesOutBeforeAndInAfterWithSmallSteps()
    {
        var audio = new SentenceAudio(Rate);

        var before = audio.Next(Constant(0.5f), 0, cutBefore: false, cutAfter: true);
        var after = audio.Next(Constant(0.5f), 0, cutBefore: true, cutAfter: false);
        float[] joined = [.. before, .. after];

        Assert.Equal(1f, before[0]);
        Assert.InRange(before[^1], 0f, 0.05f);
        Assert.InRange(after[0], 0f, 0.05f);
        Assert.Equal(1f, after[^1]);
        // A raised cosine over 10 samples steps at most sin(pi / 20) of full scale, where the plain join of two
        // unrelated pieces could step by up to 2.
        var largestStep = joined.Zip(joined.Skip(1), (a, b) => MathF.Abs(b - a)).Max();
        Assert.InRange(largestStep, 0f, MathF.Sin(MathF.PI / 20) + 1e-6f);
    }

    [Fact]
    public void Next_NoPause_ScalesTheModelsArrayInPlace()
    {
        float[] raw = [0.25f, -0.5f];

        var result = new SentenceAudio(Rate).Next(raw, silenceSamples: 0, cutBefore: false, cutAfter: false);

        Assert.Same(raw, result);
        Assert.Equal([0.5f, -1f], result);
    }

    [Fact]
    public void Next_PieceShorterThanTwoFades_FadesOverHalfOfItselfEachWay()
    {
        var result = new SentenceAudio(Rate).Next([1f, 1f, 1f, 1f], 0, cutBefore: true, cutAfter: true);

        Assert.Equal(result[0], result[3]);
        Assert.Equal(result[1], result[2]);
        Assert.True(result[0] < result[1] && result[1] < 1f);
    }
}
