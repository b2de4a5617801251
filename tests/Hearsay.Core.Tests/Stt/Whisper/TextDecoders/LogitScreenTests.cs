using System.Numerics.Tensors;
using Hearsay.Core.Stt.Whisper.TextDecoders;

namespace Hearsay.Core.Tests.Stt.Whisper.TextDecoders;

public class LogitScreenTests
{
    [Theory]
    [InlineData(1, 384)]
    [InlineData(2, 512)]
    [InlineData(3, 1280)]
    [InlineData(4, 100)]
    public void Estimate_IsWithinItsErrorOfTheFloatLogit(int seed, int width)
    {
        const int vocabulary = 2000;
        var random = new Random(seed);
        var embedding = new float[vocabulary * width];
        for (var i = 0; i < embedding.Length; i++)
        {
            // Mostly small weights with occasional large ones, as trained embeddings have.
            embedding[i] = (float)(Gaussian(random) * (random.Next(50) == 0 ? 0.5 : 0.05));
        }

        using var file = new EmbeddingFile(embedding, width);
        var screen = LogitScreen.Of(file.Rows, threads: 2);
        var estimates = new float[vocabulary];
        var errors = new float[vocabulary];
        for (var trial = 0; trial < 5; trial++)
        {
            var state = new float[width];
            for (var j = 0; j < width; j++)
            {
                state[j] = (float)(Gaussian(random) * (j % 37 == 0 ? 8 : 1));
            }

            screen.Estimate(state, estimates, errors);

            var slack = new List<double>();
            for (var token = 0; token < vocabulary; token++)
            {
                var exact = TensorPrimitives.Dot(embedding.AsSpan(token * width, width), state);
                var distance = Math.Abs(exact - estimates[token]);
                Assert.True(distance <= errors[token], $"token {token}: estimate {estimates[token]}, float {exact}, error bound {errors[token]}");
                slack.Add(distance / errors[token]);
            }

            // A bound far above the real error would send every logit to be refined.
            Assert.InRange(slack.Average(), 0.001, 0.5);
        }
    }

    [Fact]
    public void Estimate_OfAZeroState_IsExactlyZero()
    {
        var embedding = Enumerable.Range(0, 64 * 10).Select(i => (float)Math.Sin(i)).ToArray();
        using var file = new EmbeddingFile(embedding, 64);
        var screen = LogitScreen.Of(file.Rows, threads: 1);
        var estimates = new float[10];
        var errors = new float[10];

        screen.Estimate(new float[64], estimates, errors);

        Assert.All(estimates, value => Assert.Equal(0f, value));
        Assert.All(errors, value => Assert.Equal(0f, value));
    }

    [Theory]
    [InlineData(384)]
    [InlineData(100)]
    public void Estimate_OfValuesTheScreenHoldsExactly_IsTheirIntegerDotProduct(int width)
    {
        // Rows and a state of whole numbers reaching ±127 quantize to themselves (scale 1), so the estimate is the exact
        // integer sum, whichever integer kernel the machine runs (width 384 takes the byte-product one where it exists).
        const int vocabulary = 300;
        var random = new Random(11);
        var embedding = Enumerable.Range(0, vocabulary * width).Select(i => (float)(i % width == 0 ? -127 : random.Next(-127, 128))).ToArray();
        var state = Enumerable.Range(0, width).Select(j => (float)(j == 1 ? 127 : random.Next(-127, 128))).ToArray();
        using var file = new EmbeddingFile(embedding, width);
        var screen = LogitScreen.Of(file.Rows, threads: 2);
        var estimates = new float[vocabulary];

        screen.Estimate(state, estimates, new float[vocabulary]);

        for (var token = 0; token < vocabulary; token++)
        {
            var expected = 0;
            for (var j = 0; j < width; j++)
            {
                expected += (int)embedding[(token * width) + j] * (int)state[j];
            }

            Assert.Equal(expected, estimates[token]);
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
