namespace Hearsay.Core.Stt.Whisper;

/// <summary>How the Whisper model is loaded and run.</summary>
public sealed record WhisperSessionOptions
{
    /// <summary>fp32 or int8 weights when the folder has both.</summary>
    /// <value>Default <see cref="WhisperPrecision.Auto"/> (fp32 when present).</value>
    public WhisperPrecision Precision { get; init; } = WhisperPrecision.Auto;

    /// <summary>Threads ONNX Runtime uses inside one model run.</summary>
    /// <value>Default 0: ONNX Runtime's choice (the physical cores).</value>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Whether ONNX Runtime's worker threads spin while waiting for work. Spinning can save microseconds per run but
    /// burns the CPU that feature extraction, voice activity detection and other requests need: on two cores it
    /// made the log-mel of a window take 34 ms instead of 20 ms, with no gain in decoder time.
    /// </summary>
    /// <value>Default false.</value>
    public bool AllowSpinning { get; init; }
}
