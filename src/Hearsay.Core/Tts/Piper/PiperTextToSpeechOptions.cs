using Hearsay.Core.Tts.Phonemization;

namespace Hearsay.Core.Tts.Piper;

/// <summary>How to load a Piper voice.</summary>
public sealed record PiperTextToSpeechOptions
{
    /// <summary>The voice config.</summary>
    /// <value>The default, null, is the model path + <c>.json</c>.</value>
    public string? ConfigPath { get; init; }

    /// <summary>How to find and run espeak-ng.</summary>
    /// <value>The default searches the usual places with a 30 s timeout.</value>
    public PhonemizerOptions Phonemizer { get; init; } = new();
}
