using Hearsay.Core.Audio.Input;
using Hearsay.Core.Stt.Whisper.Features;
using Hearsay.Testing;

namespace Hearsay.Core.IntegrationTests.Stt;

/// <summary>Log-mel features against the reference's (PyTorch's STFT and OpenAI's recipe, tools/testmodels).</summary>
public class LogMelReferenceTests
{
    [Theory]
    [InlineData("jfk", 0, 80)]
    [InlineData("jfk", 0, 128)]
    [InlineData("lj_LJ001-0001", 0, 80)]
    [InlineData("long_cathy_arctic_a0001_to_a0014", 0, 80)]
    [InlineData("long_cathy_arctic_a0001_to_a0014", 3000, 80)]
    public async Task ComputeWindow_RealClip_MatchesReferenceWithin1e4(string clip, long seek, int melCount)
    {
        float[] samples;
        await using (var audio = await AudioDecoder.OpenFileAsync(TestPaths.SharedFile("audio", "wav16k", clip + ".wav"), new AudioInputOptions()))
        {
            samples = await audio.ReadAllAsync(maxSamples: 16000 * 600);
        }

        var expected = ReadExpected($"{clip}_seek{seek}_{melCount}");
        var contentFrames = (int)Math.Min(WhisperAudio.WindowFrames, WhisperAudio.ContentFrames(samples.Length) - seek);
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
