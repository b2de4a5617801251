using Hearsay.Core.Stt.Whisper.DecodingRules;

namespace Hearsay.Core.Tests.Stt.Whisper.DecodingRules;

public class TemperatureSamplingTests
{
    [Fact]
    public void Sample_FromEstimates_FollowsTheExactDistribution_NotTheEstimatedOne()
    {
        // Token 4 is masked. The estimates lean the other way from the exact logits (0 looks worse, 3 better), so
        // sampling from the estimates would be visibly wrong.
        float[] exact = [2.0f, 1.5f, 1.0f, 0.2f, float.NegativeInfinity, 0.9f];
        float[] estimates = [1.6f, 1.5f, 1.2f, 0.6f, float.NegativeInfinity, 0.9f];
        float[] errors = [0.4f, 0.1f, 0.2f, 0.4f, 0.4f, 0f];
        const double temperature = 0.7;
        const int draws = 40_000;
        var random = new Random(11);
        var sampling = new TemperatureSampling();
        var counts = new int[exact.Length];
        for (var draw = 0; draw < draws; draw++)
        {
            var logits = (float[])estimates.Clone();
            var token = sampling.Sample(new KnownLogits(exact, (float[])errors.Clone()), logits, temperature, random);
            Assert.Equal(exact[token], logits[token]);
            counts[token]++;
        }

        var expected = Softmax(exact, temperature);
        var fromEstimates = Softmax(estimates, temperature);
        Assert.Equal(0, counts[4]);
        for (var i = 0; i < exact.Length; i++)
        {
            var observed = counts[i] / (double)draws;
            var standardError = Math.Sqrt(expected[i] * (1 - expected[i]) / draws);
            Assert.True(Math.Abs(observed - expected[i]) <= (4 * standardError) + 1e-12, $"token {i}: drawn {observed:F4}, softmax {expected[i]:F4}");
        }

        Assert.True(Math.Abs((counts[0] / (double)draws) - fromEstimates[0]) > 0.05, "the estimates' own distribution is far from the exact one");
    }

    [Fact]
    public void Sample_OnALargeVocabulary_ComputesOnlyTheTokensItProposes()
    {
        const int vocabulary = 5000;
        var random = new Random(5);
        var sampling = new TemperatureSampling();
        var refined = 0;
        const int draws = 200;
        for (var draw = 0; draw < draws; draw++)
        {
            var exact = Enumerable.Range(0, vocabulary).Select(_ => (float)(3 * random.NextDouble())).ToArray();
            var errors = Enumerable.Range(0, vocabulary).Select(_ => 0.2f).ToArray();
            var logits = exact.Select((value, i) => value + (float)(0.2 * ((2 * random.NextDouble()) - 1))).ToArray();
            var known = new KnownLogits(exact, errors);

            var token = sampling.Sample(known, logits, temperature: 1, random);

            Assert.Equal(exact[token], logits[token]);
            Assert.Contains(token, known.RefinedTokens);
            refined += known.Refined;
        }

        // At most exp(2 · 0.2 / 1) ≈ 1.5 proposals per draw are expected.
        Assert.InRange(refined / (double)draws, 1, 1.6);
    }

    [Fact]
    public void Sample_WithTheSameSeed_DrawsTheSameTokens()
    {
        float[] exact = [0.5f, 0.4f, 0.3f, 0.2f, 0.1f];
        int[] Draws(int seed)
        {
            var random = new Random(seed);
            var sampling = new TemperatureSampling();
            return [.. Enumerable.Range(0, 50).Select(_ => sampling.Sample(
                new KnownLogits(exact, [0.3f, 0.3f, 0.3f, 0.3f, 0.3f]), [0.7f, 0.2f, 0.3f, 0.4f, 0f], 1.0, random))];
        }

        Assert.Equal(Draws(3), Draws(3));
        Assert.NotEqual(Draws(3), Draws(4));
    }

    [Fact]
    public void Sample_WhenEveryTokenIsMasked_Refuses()
    {
        float[] masked = [float.NegativeInfinity, float.NegativeInfinity];
        Assert.Throws<InvalidOperationException>(() =>
            new TemperatureSampling().Sample(new KnownLogits(masked, [0f, 0f]), (float[])masked.Clone(), 0.5, new Random(1)));
    }

    private static double[] Softmax(float[] logits, double temperature)
    {
        var max = logits.Max();
        var weights = logits.Select(value => Math.Exp((value - max) / temperature)).ToArray();
        var total = weights.Sum();
        return [.. weights.Select(weight => weight / total)];
    }
}
