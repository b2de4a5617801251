using Hearsay.Core.Audio.Input;

namespace Hearsay.Core.Tests.Audio;

public sealed class ResamplerTests
{
    private static float[] Sine(double frequency, int sampleRate, int count, double amplitude = 0.5) =>
        Enumerable.Range(0, count).Select(i => (float)(amplitude * Math.Sin(2 * Math.PI * frequency * i / sampleRate))).ToArray();

    private static float[] Run(Resampler resampler, float[] input, int blockSize)
    {
        var output = new List<float>();
        var chunk = new float[997];
        var offset = 0;
        while (true)
        {
            int read;
            while ((read = resampler.Read(chunk)) > 0)
            {
                output.AddRange(chunk.AsSpan(0, read));
            }

            if (resampler.IsFinished)
            {
                return [.. output];
            }

            if (offset == input.Length)
            {
                resampler.Complete();
                continue;
            }

            offset += resampler.Write(input.AsSpan(offset, Math.Min(blockSize, input.Length - offset)));
        }
    }

    private static double RmsDb(ReadOnlySpan<float> samples, double reference)
    {
        double sum = 0;
        foreach (var s in samples)
        {
            sum += (double)s * s;
        }

        return 20 * Math.Log10(Math.Sqrt(sum / samples.Length) / reference);
    }

    [Theory]
    [InlineData(44100, 16000)]
    [InlineData(22050, 16000)]
    [InlineData(48000, 16000)]
    [InlineData(8000, 16000)]
    [InlineData(11025, 16000)]
    [InlineData(44101, 16000)]
    public void Read_OneKilohertzSine_IsCleanAtTheNewRate(int inputRate, int outputRate)
    {
        var input = Sine(1000, inputRate, inputRate);

        var output = Run(new Resampler(inputRate, outputRate), input, 4096);

        Assert.Equal(Resampler.OutputLength(input.Length, inputRate, outputRate), output.Length);
        var ideal = Sine(1000, outputRate, output.Length);
        var middle = new Range(outputRate / 10, output.Length - (outputRate / 10));
        double signal = 0, noise = 0;
        for (var i = middle.Start.Value; i < middle.End.Value; i++)
        {
            signal += (double)ideal[i] * ideal[i];
            noise += Math.Pow(ideal[i] - output[i], 2);
        }

        var snr = 10 * Math.Log10(signal / noise);
        Assert.True(snr > 80, $"{inputRate} -> {outputRate}: SNR {snr:0.0} dB");
    }

    [Theory]
    [InlineData(10000)]
    [InlineData(8000)]
    [InlineData(15000)]
    public void Read_ToneAboveOutputNyquist_IsAttenuatedBy60DbOrMore(double frequency)
    {
        var input = Sine(frequency, 44100, 44100);

        var output = Run(new Resampler(44100, 16000), input, 4096);

        var level = RmsDb(output.AsSpan(1600, output.Length - 3200), 0.5 / Math.Sqrt(2));
        Assert.True(level <= -60, $"{frequency} Hz leaks at {level:0.0} dB");
    }

    [Fact]
    public void Read_PassbandTone_KeepsItsLevel()
    {
        var output = Run(new Resampler(48000, 16000), Sine(7000, 48000, 48000), 4096);

        var level = RmsDb(output.AsSpan(1600, output.Length - 3200), 0.5 / Math.Sqrt(2));
        Assert.InRange(level, -0.05, 0.05);
    }

    [Theory]
    [InlineData(44100, 16000)]
    [InlineData(48000, 16000)]
    [InlineData(8000, 16000)]
    [InlineData(44101, 16000)]
    public void Read_AnyBlockSize_GivesIdenticalOutput(int inputRate, int outputRate)
    {
        var random = new Random(7);
        var input = Enumerable.Range(0, 20_000).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();

        var oneShot = Run(new Resampler(inputRate, outputRate), input, input.Length);

        foreach (var blockSize in new[] { 1, 7, 4096 })
        {
            Assert.Equal(oneShot, Run(new Resampler(inputRate, outputRate), input, blockSize));
        }
    }

    [Fact]
    public void Read_DirectCurrent_PassesAtUnityGain()
    {
        var output = Run(new Resampler(44100, 16000), Enumerable.Repeat(0.25f, 44100).ToArray(), 4096);

        Assert.All(output.AsSpan(500, output.Length - 1000).ToArray(), s => Assert.Equal(0.25f, s, 5));
    }

    [Fact]
    public void Read_Impulse_IsCentredOnTheFirstOutput()
    {
        // Zero group delay: an impulse at input 0 peaks at output 0 (and for 3:1, at every third input).
        var input = new float[3000];
        input[0] = 1;
        input[1500] = 1;

        var output = Run(new Resampler(48000, 16000), input, 4096);

        Assert.Equal(1000, output.Length);
        Assert.Equal(0, Array.IndexOf(output, output[..400].Max()));
        Assert.Equal(500, 400 + Array.IndexOf(output[400..], output[400..].Max()));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(441, 160)]
    [InlineData(130871, 47482)]
    public void OutputLength_RoundsLikeSox(long input, long expected)
    {
        Assert.Equal(expected, Resampler.OutputLength(input, 44100, 16000));
    }

    [Fact]
    public void Constructor_LargePrimeRatio_UsesInterpolatedBankOfBoundedSize()
    {
        var resampler = new Resampler(44101, 16000);

        Assert.Equal(Resampler.InterpolatedPhases + 1, resampler.Phases);
        Assert.Equal(160, new Resampler(44100, 16000).Phases);
        Assert.Equal(1, new Resampler(48000, 16000).Phases);
    }

    [Theory]
    [InlineData(999_983, 16000)]
    [InlineData(1_000_000, 16000)]
    [InlineData(1000, 16000)]
    [InlineData(1009, 16000)]
    public void Constructor_ExtremeRates_KeepTheBankBounded(int inputRate, int outputRate)
    {
        var resampler = new Resampler(inputRate, outputRate);

        Assert.True((long)resampler.Phases * resampler.Taps <= Resampler.MaxTableTaps);
        var output = Run(resampler, Sine(440, inputRate, inputRate / 10), 4096);
        Assert.Equal(Resampler.OutputLength(inputRate / 10, inputRate, outputRate), output.Length);
    }

    [Fact]
    public void Write_AfterComplete_Throws()
    {
        var resampler = new Resampler(8000, 16000);
        resampler.Complete();

        Assert.Throws<InvalidOperationException>(() => resampler.Write([1f]));
    }
}
