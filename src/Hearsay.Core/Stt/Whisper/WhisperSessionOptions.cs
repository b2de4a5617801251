using Hearsay.Core.Stt.Whisper.Model;

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

    /// <summary>Which implementation runs the text decoder.</summary>
    /// <value>Default <see cref="WhisperDecoderBackend.Auto"/>.</value>
    public WhisperDecoderBackend Decoder { get; init; } = WhisperDecoderBackend.Auto;
}

/// <summary>The implementation of Whisper's text decoder.</summary>
public enum WhisperDecoderBackend
{
    /// <summary>Hearsay's decoder when it can read the decoder file, else ONNX Runtime.</summary>
    Auto,

    /// <summary>
    /// Hearsay's decoder: the weights read from the decoder file and computed with the same maths, several times faster
    /// per token than the graph (its self-attention cache is appended to, not copied). Loading fails when the file's
    /// graph is not a Whisper decoder Hearsay recognizes.
    /// </summary>
    Hearsay,

    /// <summary>The decoder graph run by ONNX Runtime.</summary>
    OnnxRuntime,
}
