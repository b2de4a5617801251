using Hearsay.Core.Stt.Whisper.Features;

namespace Hearsay.Core.Tests.Stt.Whisper.Features;

public class RealFftTests
{
    [Theory]
    [InlineData(400)]
    [InlineData(16)]
    [InlineData(10)]
    public void PowerSpectrum_RandomFrame_EqualsDirectDft(int size)
    {
        var random = new Random(size);
        var frame = Enumerable.Range(0, size).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        var power = new double[(size / 2) + 1];

        new RealFft(size).PowerSpectrum(frame, power);

        for (var k = 0; k <= size / 2; k++)
        {
            double re = 0, im = 0;
            for (var n = 0; n < size; n++)
            {
                re += frame[n] * Math.Cos(2 * Math.PI * k * n / size);
                im -= frame[n] * Math.Sin(2 * Math.PI * k * n / size);
            }

            Assert.Equal((re * re) + (im * im), power[k], 1e-9);
        }
    }

    [Fact]
    public void Constructor_SizeWithFactorThree_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RealFft(12));
}
