namespace Hearsay.Core.Stt.Whisper.Features;

/// <summary>Whisper's fixed audio constants (OpenAI <c>whisper/audio.py</c>).</summary>
internal static class WhisperAudio
{
    public const int SampleRate = 16000;
    public const int FftSize = 400;
    public const int HopLength = 160;
    public const int WindowSeconds = 30;

    /// <summary>Mel frames in one 30 s window (N_FRAMES).</summary>
    public const int WindowFrames = WindowSeconds * SampleRate / HopLength;

    /// <summary>Samples in one 30 s window (N_SAMPLES).</summary>
    public const int WindowSamples = WindowSeconds * SampleRate;

    /// <summary>Mel frames per second (FRAMES_PER_SECOND).</summary>
    public const int FramesPerSecond = SampleRate / HopLength;

    /// <summary>Frequency bins of one frame's power spectrum.</summary>
    public const int SpectrumBins = FftSize / 2 + 1;

    /// <summary>Frames that hold real audio, as OpenAI's transcribe counts them for <paramref name="samples"/> samples.</summary>
    public static long ContentFrames(long samples) => samples / HopLength;

    public static double FramesToSeconds(long frames) => frames * (double)HopLength / SampleRate;
}
