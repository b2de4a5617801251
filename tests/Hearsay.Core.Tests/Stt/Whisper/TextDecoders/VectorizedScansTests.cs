using Hearsay.Core.Stt.Whisper.TextDecoders;

namespace Hearsay.Core.Tests.Stt.Whisper.TextDecoders;

/// <summary>The decoder step's vectorized loops give what their scalar forms give, bit for bit.</summary>
public class VectorizedScansTests
{
    [Fact]
    public void Gelu_OfWholeVectors_EqualsGeluOfTheSameValuesOneByOne()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 4003).Select(_ => (float)((random.NextDouble() - 0.5) * 16)).ToArray();
        values[0] = 0f;
        values[1] = -0f;
        values[2] = 1e-30f;
        var vectorized = (float[])values.Clone();

        Gelu.Apply(vectorized);

        for (var i = 0; i < values.Length; i++)
        {
            // A span of one value has no whole vector: the scalar path.
            var one = values.AsSpan(i, 1).ToArray();
            Gelu.Apply(one);
            Assert.Equal(BitConverter.SingleToInt32Bits(one[0]), BitConverter.SingleToInt32Bits(vectorized[i]));
        }
    }

    [Theory]
    [InlineData(new[] { 1f, 3f, 2f, 3f }, 1)]
    [InlineData(new[] { 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 5f, 5f }, 17)]
    [InlineData(new[] { -0f, 0f, -1f, -1f, -1f, -1f, -1f, -1f, -1f }, 0)]
    [InlineData(new[] { float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity }, 0)]
    public void ArgMax_IsTheFirstIndexOfTheLargestValue(float[] logits, int expected) =>
        Assert.Equal(expected, LogProbabilities.ArgMax(logits));

    [Fact]
    public void DeferredNormalizer_OfAStepWithMaskedTokens_IsLogSumExpOverTheUnmaskedOnes()
    {
        const int vocabulary = 3 * EmbeddingRows.Block;
        const int width = 16;
        var random = new Random(9);
        var table = Enumerable.Range(0, vocabulary * width).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var state = Enumerable.Range(0, width).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        using var file = new EmbeddingFile(table, width);
        var exact = new float[vocabulary];
        file.Rows.Project(state, exact, threads: 1);
        var filtered = (float[])exact.Clone();
        for (var token = 0; token < vocabulary; token += 3)
        {
            filtered[token] = float.NegativeInfinity;
        }

        var normalizers = new DeferredNormalizers(file.Rows, threads: 2);
        normalizers.AddDeferred(state, filtered);

        var expected = LogProbabilities.LogSumExp(filtered);
        Assert.Equal(expected, normalizers.Take()[0], 1e-5);
    }
}
