using Hearsay.Core.Stt.Whisper.TextDecoders;

namespace Hearsay.Core.Tests.Stt.Whisper.TextDecoders;

public class FloatLinearTests
{
    [Theory]
    [InlineData(384, 7, 9)]
    [InlineData(44, 5, 4)]
    [InlineData(16, 3, 2)]
    public void Apply_AnySumOrder_EqualsEachRowsOwnSums(int inputs, int outputs, int rows)
    {
        var random = new Random(4);
        float[] Values(int count) => [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        var linear = new FloatLinear(Values(inputs * outputs), inputs, outputs, Values(outputs), threads: 2);
        var input = Values(rows * inputs);
        var expected = new float[rows * outputs];
        var actual = new float[rows * outputs];

        linear.Apply(input, expected, rows);
        linear.Apply(input, actual, rows, anySumOrder: true);

        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-4f);
        }
    }
}
