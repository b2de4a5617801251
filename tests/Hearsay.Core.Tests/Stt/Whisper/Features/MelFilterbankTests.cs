using Hearsay.Core.Stt.Whisper.Features;
using Hearsay.Testing;

namespace Hearsay.Core.Tests.Stt.Whisper.Features;

public class MelFilterbankTests
{
    [Theory]
    [InlineData(80)]
    [InlineData(128)]
    public void ForMelCount_EmbeddedBank_EqualsOpenAiFile(int melCount)
    {
        using var npz = File.OpenRead(TestPaths.SharedFile("whisper", "mel_filters.npz"));
        var (dense, shape) = NpyArray.ReadFromNpz(npz, $"mel_{melCount}");
        var bank = MelFilterbank.ForMelCount(melCount);
        Assert.Equal([melCount, 201], shape);
        Assert.Equal(melCount, bank.MelCount);

        var random = new Random(melCount);
        var spectrum = Enumerable.Range(0, 201).Select(_ => random.NextDouble()).ToArray();
        var energies = new double[melCount];
        bank.Apply(spectrum, energies);

        for (var mel = 0; mel < melCount; mel++)
        {
            var expected = 0.0;
            for (var bin = 0; bin < 201; bin++)
            {
                expected += dense[(mel * 201) + bin] * spectrum[bin];
            }

            Assert.Equal(expected, energies[mel], 1e-12);
        }
    }

    [Fact]
    public void ForMelCount_UnpublishedSize_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MelFilterbank.ForMelCount(64));

    [Fact]
    public void Parse_NotNpy_ThrowsInvalidData() =>
        Assert.Throws<InvalidDataException>(() => NpyArray.Parse("not numpy data"u8));
}
