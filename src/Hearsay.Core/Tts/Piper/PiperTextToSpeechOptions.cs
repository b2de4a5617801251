using Hearsay.Core.Onnx;
using Hearsay.Core.Tts.Phonemization;

namespace Hearsay.Core.Tts.Piper;

/// <summary>How to load a Piper voice.</summary>
public sealed record PiperTextToSpeechOptions
{
    /// <summary>The voice config.</summary>
    /// <value>The default, null, is the model path + <c>.json</c>.</value>
    public string? ConfigPath { get; init; }

    /// <summary>Threads per inference of the voice.</summary>
    /// <value>Default <see cref="EngineThreads.Default"/>.</value>
    public EngineThreads Threads { get; init; } = EngineThreads.Default;

    /// <summary>How to find and run espeak-ng.</summary>
    /// <value>The default searches the usual places with a 30 s timeout.</value>
    public PhonemizerOptions Phonemizer { get; init; } = new();
}
