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
    /// Whether ONNX Runtime's worker threads spin while waiting for work. Spinning saves microseconds per run but
    /// burns CPU that other requests (and the thread pool) need; a server should turn it off.
    /// </summary>
    /// <value>Default true.</value>
    public bool AllowSpinning { get; init; } = true;
}
