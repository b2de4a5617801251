using Hearsay.Core.Stt.Whisper.TextDecoders;

namespace Hearsay.Core.Tests.Stt.Whisper.TextDecoders;

public class BlockedDotTests
{
    [Theory]
    [InlineData(384, 7, 6)]
    [InlineData(100, 5, 9)]
    [InlineData(8, 2, 4)]
    [InlineData(3, 3, 1)]
    public void Compute_EveryRowAndVector_EqualsDoublePrecisionDot(int width, int rowCount, int vectorCount)
    {
        var random = new Random(width + rowCount);
        var rows = Enumerable.Range(0, width * rowCount).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var vectors = Enumerable.Range(0, vectorCount)
            .Select(_ => Enumerable.Range(0, width).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray())
            .ToArray();
        var results = Enumerable.Range(0, vectorCount).Select(_ => new float[rowCount]).ToArray();

        BlockedDot.Compute(rows, width, vectors, results);

        for (var v = 0; v < vectorCount; v++)
        {
            for (var r = 0; r < rowCount; r++)
            {
                var expected = 0.0;
                for (var k = 0; k < width; k++)
                {
                    expected += (double)rows[(r * width) + k] * vectors[v][k];
                }

                Assert.Equal(expected, results[v][r], 1e-4);
            }
        }
    }
}
