namespace Hearsay.Core.Vad;

/// <summary>A stretch of speech in 16 kHz audio, padded as Silero pads it.</summary>
/// <param name="Start">First sample of the segment (inclusive), counted from the start of the audio.</param>
/// <param name="End">Sample just after the segment (exclusive).</param>
public readonly record struct SpeechSegment(long Start, long End)
{
    /// <summary>Number of samples in the segment.</summary>
    public long Length => End - Start;

    /// <summary><see cref="Start"/> as time from the start of the audio.</summary>
    public TimeSpan StartTime => ToTime(Start);

    /// <summary><see cref="End"/> as time from the start of the audio.</summary>
    public TimeSpan EndTime => ToTime(End);

    /// <summary>How long the segment lasts.</summary>
    public TimeSpan Duration => ToTime(Length);

    // 10^7 ticks per second / 16000 samples per second = exactly 625 ticks per sample.
    private static TimeSpan ToTime(long samples) => TimeSpan.FromTicks(samples * (TimeSpan.TicksPerSecond / SileroVadModel.SampleRate));
}
