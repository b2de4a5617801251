using System.Buffers.Binary;
using System.Globalization;
using Hearsay.Core.Audio.Input;
using Hearsay.Testing;
using Xunit.Abstractions;

namespace Hearsay.Core.IntegrationTests.Audio;

/// <summary>
/// Every original clip decoded and resampled to 16 kHz by Hearsay, against sox's conversion of the same clip
/// (<c>audio/wav16k</c>, made with sox's default high-quality rate conversion and 16-bit output).
/// </summary>
public sealed class SoxReferenceTests(ITestOutputHelper output)
{
    // The lowest measured is 41.2 dB (lj_LJ001-0032, 22050 Hz, much energy near 7.7 kHz where the two filters' transition
    // bands differ); a 3 dB margin. A wrong alignment, gain or downmix drops far below (a one-sample shift: under 10 dB).
    private const double MinimumSnrDb = 38;

    public static TheoryData<string> Clips()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(TestPaths.SharedAssets, "audio", "orig")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Clips))]
    public async Task OpenFileAsync_RealClip_MatchesSoxAt16kHz(string clip)
    {
        var original = TestPaths.SharedFile("audio", "orig", clip);
        var reference = ReadSoxWav(TestPaths.SharedFile("audio", "wav16k", Path.ChangeExtension(clip, ".wav")));
        var options = new AudioInputOptions { RawPcmSampleRate = clip.EndsWith(".raw", StringComparison.Ordinal) ? 16000 : null, UseFfmpeg = false };

        await using var reader = await AudioDecoder.OpenFileAsync(original, options);
        var samples = await reader.ReadAllAsync(10_000_000);

        Assert.Equal(16000, reader.SampleRate);
        Assert.Equal(reference.Length, samples.Length);
        Assert.Equal(reference.Length, reader.TotalSamples);
        Assert.Equal(0, BestLag(reference, samples, maxLag: 8));
        var snr = SignalToNoiseDb(reference, samples);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SNR {clip}: {snr:0.0} dB"));
        Assert.True(snr >= MinimumSnrDb, $"{clip}: SNR {snr:0.0} dB is below {MinimumSnrDb} dB");
    }

    internal static float[] ReadSoxWav(string path)
    {
        // sox writes the canonical 44-byte header; read it independently of the decoder under test.
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan(36, 4).SequenceEqual("data"u8), $"{path} does not have the canonical header");
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(22)));
        Assert.Equal(16000, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24)));
        var samples = new float[(bytes.Length - 44) / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(44 + (2 * i))) / 32768f;
        }

        return samples;
    }

    internal static double SignalToNoiseDb(float[] reference, float[] actual)
    {
        double signal = 0, noise = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            signal += (double)reference[i] * reference[i];
            var difference = (double)reference[i] - actual[i];
            noise += difference * difference;
        }

        return noise == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / noise);
    }

    internal static int BestLag(float[] reference, float[] actual, int maxLag)
    {
        var best = 0;
        var bestScore = double.NegativeInfinity;
        for (var lag = -maxLag; lag <= maxLag; lag++)
        {
            double score = 0;
            for (var i = Math.Max(0, -lag); i < reference.Length && i + lag < actual.Length; i++)
            {
                score += (double)reference[i] * actual[i + lag];
            }

            if (score > bestScore)
            {
                bestScore = score;
                best = lag;
            }
        }

        return best;
    }
}
