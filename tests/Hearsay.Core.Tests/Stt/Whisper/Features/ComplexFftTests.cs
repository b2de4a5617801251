using Hearsay.Core.Stt.Whisper.Features;

namespace Hearsay.Core.Tests.Stt.Whisper.Features;

public class ComplexFftTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(25)]
    [InlineData(40)]
    [InlineData(200)]
    [InlineData(256)]
    public void Forward_RandomSequence_EqualsDirectDft(int length)
    {
        var random = new Random(length);
        var re = Enumerable.Range(0, length).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        var im = Enumerable.Range(0, length).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        var (inputRe, inputIm) = ((double[])re.Clone(), (double[])im.Clone());

        new ComplexFft(length).Forward(re, im);

        for (var k = 0; k < length; k++)
        {
            double expectedRe = 0, expectedIm = 0;
            for (var n = 0; n < length; n++)
            {
                var angle = -2 * Math.PI * k * n / length;
                expectedRe += (inputRe[n] * Math.Cos(angle)) - (inputIm[n] * Math.Sin(angle));
                expectedIm += (inputRe[n] * Math.Sin(angle)) + (inputIm[n] * Math.Cos(angle));
            }

            Assert.Equal(expectedRe, re[k], 1e-10);
            Assert.Equal(expectedIm, im[k], 1e-10);
        }
    }

    [Fact]
    public void Forward_SameInstanceTwice_GivesSameResult()
    {
        var fft = new ComplexFft(200);
        var re = Enumerable.Range(0, 200).Select(n => Math.Sin(n * 0.3)).ToArray();
        var im = new double[200];
        var (firstRe, firstIm) = ((double[])re.Clone(), (double[])im.Clone());
        fft.Forward(firstRe, firstIm);

        fft.Forward(re, im);

        Assert.Equal(firstRe, re);
        Assert.Equal(firstIm, im);
    }

    [Fact]
    public void Constructor_LengthWithFactorThree_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ComplexFft(6));
}
