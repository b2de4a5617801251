using Hearsay.Core.Stt.Whisper.Features;

namespace Hearsay.Core.Tests.Stt.Whisper.Features;

public class LogMelSpectrogramTests
{
    private const int Frames = WhisperAudio.WindowFrames;

    [Fact]
    public void ComputeWindow_FramesPastContent_AreZero()
    {
        var samples = Tone(16000, 440);
        var features = new float[80 * Frames];

        new LogMelSpectrogram(80).ComputeWindow(samples, 0, 0, (int)WhisperAudio.ContentFrames(samples.Length), features);

        Assert.All(Enumerable.Range(0, 80), mel =>
        {
            Assert.All(features.AsSpan((mel * Frames) + 100, Frames - 100).ToArray(), value => Assert.Equal(0f, value));
            Assert.NotEqual(0f, features[(mel * Frames) + 50]);
        });
    }

    [Fact]
    public void ComputeWindow_Values_LieBetweenFloorAndMaximum()
    {
        var samples = Tone(16000 * 5, 1000);
        var features = new float[80 * Frames];

        new LogMelSpectrogram(80).ComputeWindow(samples, 0, 0, 500, features);

        var content = Enumerable.Range(0, 80).SelectMany(mel => features.AsSpan(mel * Frames, 500).ToArray()).ToArray();
        var max = content.Max();
        Assert.Equal(max - 2f, content.Min(), 1e-5f); // (x + 4) / 4 turns the 8-decade floor into 2
    }

    [Fact]
    public void ComputeWindow_SlidingBufferAtLaterSeek_EqualsWholeSignal()
    {
        var samples = Tone(16000 * 45, 300);
        var spectrogram = new LogMelSpectrogram(80);
        var whole = new float[80 * Frames];
        var sliding = new float[80 * Frames];
        const long seek = 1234;
        var origin = LogMelSpectrogram.FirstSampleNeeded(seek);

        spectrogram.ComputeWindow(samples, 0, seek, 2000, whole);
        spectrogram.ComputeWindow(samples.AsSpan((int)origin).ToArray(), origin, seek, 2000, sliding);

        Assert.Equal(whole, sliding);
    }

    [Fact]
    public void ComputeWindow_SamplesStartTooLate_Throws()
    {
        var features = new float[80 * Frames];
        Assert.Throws<ArgumentException>(() => new LogMelSpectrogram(80).ComputeWindow(new float[1000], 500, 1, 10, features));
    }

    private static float[] Tone(int length, double frequency) =>
        Enumerable.Range(0, length).Select(n => (float)(0.5 * Math.Sin(2 * Math.PI * frequency * n / 16000))).ToArray();
}
