using Hearsay.Core.Stt.Whisper.DecodingRules;
using Hearsay.Core.Stt.Whisper.TextDecoders;

namespace Hearsay.Core.Tests.Stt.Whisper.DecodingRules;

public class LogitRefinementTests
{
    private const int Vocabulary = 5000;

    [Fact]
    public void ForChoice_ChoosesTheExactArgmax_WhenTheEstimatesRankItSecond()
    {
        var exact = Distribution(new Random(1), spread: 2, peak: 0);
        exact[10] = 20.0f;
        exact[11] = 20.1f;
        var errors = Filled(0.3f);
        var logits = (float[])exact.Clone();
        logits[10] = 20.25f;
        logits[11] = 19.85f;

        LogitRefinement.ForChoice(new KnownLogits(exact, errors), logits);

        Assert.Equal(11, LogProbabilities.ArgMax(logits));
        Assert.Equal(exact[10], logits[10]);
        Assert.Equal(exact[11], logits[11]);
    }

    [Theory]
    [InlineData(1, 0.4, 0)]
    [InlineData(2, 2, 0)]
    [InlineData(3, 4, 20)]
    public void ForChoice_FindsTheExactArgmax_RefiningOnlyWhatCouldBeIt(int seed, double spread, double peak)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 20; trial++)
        {
            var exact = Distribution(random, spread, peak);
            var (logits, errors) = Estimates(random, exact, maxError: 0.3f);
            var known = new KnownLogits(exact, errors);

            LogitRefinement.ForChoice(known, logits);

            var best = LogProbabilities.ArgMax(exact);
            Assert.Equal(best, LogProbabilities.ArgMax(logits));
            Assert.Equal(exact[best], logits[best]);
            Assert.InRange(known.Refined, 1, Vocabulary / 50);
        }
    }

    [Theory]
    [InlineData(4, Vocabulary - 5)]
    [InlineData(5, 13)]
    public void ForChoice_RefinesExactlyTheTokensTheScalarRuleNames(int seed, int vocabulary)
    {
        // The scan runs vectorized over whole vectors and scalar over the tail; both must pick this set, in order.
        var random = new Random(seed);
        var exact = Distribution(random, spread: 0.3, peak: 0)[..vocabulary];
        var (logits, errors) = Estimates(random, exact, maxError: 0.3f);
        for (var i = 0; i < vocabulary; i += 7)
        {
            logits[i] = float.NegativeInfinity;
        }

        errors[1] = 0;
        var floor = double.NegativeInfinity;
        for (var i = 0; i < vocabulary; i++)
        {
            floor = Math.Max(floor, logits[i] - (double)errors[i]);
        }

        var expected = Enumerable.Range(0, vocabulary)
            .Where(i => errors[i] > 0 && float.IsFinite(logits[i]) && (double)logits[i] + errors[i] >= floor)
            .ToList();
        var known = new KnownLogits(exact, errors);

        LogitRefinement.ForChoice(known, logits);

        Assert.NotEmpty(expected);
        Assert.Equal(expected, known.RefinedTokens);
    }

    [Fact]
    public void ForChoice_LeavesMaskedLogitsMasked()
    {
        var random = new Random(7);
        var exact = Distribution(random, spread: 0.4, peak: 0);
        var (logits, errors) = Estimates(random, exact, maxError: 0.3f);
        logits.AsSpan(10).Fill(float.NegativeInfinity);
        errors.AsSpan().Fill(100f);
        var known = new KnownLogits(exact, errors);

        LogitRefinement.ForChoice(known, logits);

        Assert.Equal(exact.AsSpan(0, 10).ToArray(), logits.AsSpan(0, 10).ToArray());
        Assert.All(logits.AsSpan(10).ToArray(), value => Assert.Equal(float.NegativeInfinity, value));
        Assert.Equal(10, known.Refined);
    }

    [Fact]
    public void TimestampsOutweighText_AgreesWithTheExactLogits_AndRefinesOnlyWhenTheBoundsLeaveItOpen()
    {
        const int begin = 4000;
        var random = new Random(8);
        var refinedCases = 0;
        for (var trial = 0; trial < 200; trial++)
        {
            var exact = Distribution(random, spread: 1, peak: 0);
            // Raise the timestamps so their total sits near the best text token, on either side.
            var shift = (float)((random.NextDouble() * 4) - 2 + Math.Log(Vocabulary - begin) * -1);
            for (var i = begin; i < Vocabulary; i++)
            {
                exact[i] = (float)(LogProbabilities.Max(exact.AsSpan(0, begin)) + shift + (random.NextDouble() * 0.5));
            }

            var (logits, errors) = Estimates(random, exact, maxError: 0.05f);
            var known = new KnownLogits(exact, errors);
            var expected = LogProbabilities.LogSumExp(exact.AsSpan(begin)) > LogProbabilities.Max(exact.AsSpan(0, begin));

            Assert.Equal(expected, LogitRefinement.TimestampsOutweighText(known, logits, begin));
            refinedCases += known.Refined > 0 ? 1 : 0;
        }

        Assert.InRange(refinedCases, 1, 100);
    }

    private static float[] Distribution(Random random, double spread, double peak)
    {
        var logits = new float[Vocabulary];
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] = (float)(spread * Gaussian(random));
        }

        logits[random.Next(Vocabulary)] = (float)peak + logits.Max();
        return logits;
    }

    private static (float[] Estimates, float[] Errors) Estimates(Random random, float[] exact, float maxError)
    {
        var estimates = new float[exact.Length];
        var errors = new float[exact.Length];
        for (var i = 0; i < exact.Length; i++)
        {
            errors[i] = maxError * (float)(0.5 + (random.NextDouble() / 2));
            estimates[i] = exact[i] + (errors[i] * (float)((random.NextDouble() * 2) - 1) * 0.99f);
        }

        return (estimates, errors);
    }

    private static float[] Filled(float value)
    {
        var values = new float[Vocabulary];
        values.AsSpan().Fill(value);
        return values;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
