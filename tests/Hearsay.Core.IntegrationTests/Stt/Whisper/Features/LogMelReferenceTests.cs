using Hearsay.Core.Audio.Input;
using Hearsay.Core.Stt.Whisper.Features;
using Hearsay.Testing;

namespace Hearsay.Core.IntegrationTests.Stt.Whisper.Features;

/// <summary>Log-mel features against the reference's (PyTorch's STFT and OpenAI's recipe, tools/testmodels).</summary>
public class LogMelReferenceTests
{
    [Theory]
    [InlineData("jfk", 0, 80, false)]
    [InlineData("jfk", 0, 128, false)]
    [InlineData("jfk", 0, 128, true)]
    [InlineData("lj_LJ001-0001", 0, 80, false)]
    [InlineData("long_cathy_arctic_a0001_to_a0014", 0, 80, false)]
    [InlineData("long_cathy_arctic_a0001_to_a0014", 3000, 80, false)]
    [InlineData("long_cathy_arctic_a0001_to_a0014", 4548, 80, false)]
    [InlineData("long_cathy_arctic_a0001_to_a0014", 456, 128, false)]
    [InlineData("long_cathy_arctic_a0001_to_a0014", 3456, 128, false)]
    public async Task ComputeWindow_RealClip_MatchesReferenceWithin1e4(string clip, long seek, int melCount, bool forLanguageDetection)
    {
        float[] samples;
        await using (var audio = await AudioDecoder.OpenFileAsync(TestPaths.SharedFile("audio", "wav16k", clip + ".wav"), new AudioInputOptions()))
        {
            samples = await audio.ReadAllAsync(maxSamples: 16000 * 600);
        }

        // Language detection sees the log-mel of the zero padding where a decoding window has zeros.
        var expected = ReadExpected(forLanguageDetection ? $"{clip}_langid_{melCount}" : $"{clip}_seek{seek}_{melCount}");
        var contentFrames = forLanguageDetection
            ? WhisperAudio.WindowFrames
            : (int)Math.Min(WhisperAudio.WindowFrames, WhisperAudio.ContentFrames(samples.Length) - seek);
        var actual = new float[melCount * WhisperAudio.WindowFrames];

        new LogMelSpectrogram(melCount).ComputeWindow(samples, 0, seek, contentFrames, actual);

        var worst = expected.Zip(actual, (want, got) => Math.Abs(want - got)).Max();
        Assert.True(worst <= 1e-4, $"largest difference {worst:E2}");
    }

    private static float[] ReadExpected(string name)
    {
        using var npz = File.OpenRead(WhisperExpectations.MelFile);
        return NpyArray.ReadFromNpz(npz, name).Data;
    }
}
