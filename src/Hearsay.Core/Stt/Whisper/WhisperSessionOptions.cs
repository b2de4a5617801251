using Hearsay.Core.Onnx;
using Hearsay.Core.Stt.Whisper.Model;

namespace Hearsay.Core.Stt.Whisper;

/// <summary>How the Whisper model is loaded and run.</summary>
public sealed record WhisperSessionOptions
{
    /// <summary>fp32 or int8 weights when the folder has both.</summary>
    /// <value>Default <see cref="WhisperPrecision.Auto"/> (fp32 when present).</value>
    public WhisperPrecision Precision { get; init; } = WhisperPrecision.Auto;

    /// <summary>Threads per run of the encoder and the decoder (ONNX Runtime's or Hearsay's own).</summary>
    /// <value>Default <see cref="EngineThreads.Default"/>.</value>
    public EngineThreads Threads { get; init; } = EngineThreads.Default;

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
