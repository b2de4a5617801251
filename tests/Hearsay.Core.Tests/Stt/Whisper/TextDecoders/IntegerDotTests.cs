using Hearsay.Core.Stt.Whisper.TextDecoders;

namespace Hearsay.Core.Tests.Stt.Whisper.TextDecoders;

/// <summary>
/// Hearsay's int8 products must be exact over the whole int8 range that real quantized models use: the generated test
/// models keep their weights within -64..64 (so that ONNX Runtime, which saturates 16-bit pair sums on CPUs without
/// VNNI, computes them exactly too), and these cases cover what they do not.
/// </summary>
public class IntegerDotTests
{
    [Theory]
    [InlineData(384)]
    [InlineData(1536)]
    [InlineData(33)]
    [InlineData(5)]
    public void Of_ExtremeValues_IsTheExactSum(int length)
    {
        // Every pair of products at the extremes: 255 x -128 twice is -65,280, past 16 bits.
        var x = Enumerable.Range(0, length).Select(i => (short)(i % 3 == 0 ? -255 : 255)).ToArray();
        var w = Enumerable.Range(0, length).Select(i => (sbyte)(i % 3 == 0 ? 127 : -128)).ToArray();

        Assert.Equal(Exact(x, w), (long)IntegerDot.Of(x, w));
    }

    [Fact]
    public void Of_RandomFullRangeValues_IsTheExactSum()
    {
        var random = new Random(11);
        for (var trial = 0; trial < 100; trial++)
        {
            var length = random.Next(1, 2048);
            var x = Enumerable.Range(0, length).Select(_ => (short)random.Next(-255, 256)).ToArray();
            var w = Enumerable.Range(0, length).Select(_ => (sbyte)random.Next(-128, 128)).ToArray();

            Assert.Equal(Exact(x, w), (long)IntegerDot.Of(x, w));
        }
    }

    [Theory]
    [InlineData(384)]
    [InlineData(1536)]
    public void Block_FullRangeValues_EqualsOfForEachOutputAndRow(int width)
    {
        var random = new Random(12);
        var x = Enumerable.Range(0, 5 * width).Select(_ => (short)random.Next(-255, 256)).ToArray();
        var w = Enumerable.Range(0, 3 * width).Select(_ => (sbyte)random.Next(-128, 128)).ToArray();
        var sums = new int[IntegerDot.BlockOutputs * IntegerDot.BlockRows];

        Assert.True(IntegerDot.Block(x, 1, w, 1, width, sums));

        for (var o = 0; o < IntegerDot.BlockOutputs; o++)
        {
            for (var r = 0; r < IntegerDot.BlockRows; r++)
            {
                var expected = IntegerDot.Of(x.AsSpan((1 + r) * width, width), w.AsSpan((1 + o) * width, width));
                Assert.Equal(expected, sums[(o * IntegerDot.BlockRows) + r]);
            }
        }
    }

    private static long Exact(short[] x, sbyte[] w) => x.Zip(w, (a, b) => (long)a * b).Sum();
}
