using Hearsay.Contracts.Realtime;

namespace Hearsay.Client;

/// <summary>Options of <see cref="HearsayClient.DictateAsync"/>, as OpenAI's transcription session names them.</summary>
public sealed record DictationOptions
{
    /// <summary>The PCM's sample rate: 24000 (OpenAI's, the default) or 16000 (Hearsay's option).</summary>
    public int SampleRate { get; init; } = 24000;

    /// <summary>ISO-639-1 code; null: detected, on multilingual models.</summary>
    public string? Language { get; init; }

    /// <summary>Text that came before, to carry style and vocabulary across.</summary>
    public string? Prompt { get; init; }

    /// <summary>
    /// Server VAD (the default: OpenAI's threshold 0.5, 300 ms prefix padding, 500 ms silence; set the fields to change
    /// them), or null: no turn detection, the app calls <see cref="HearsayDictation.CommitAsync"/> after each utterance.
    /// </summary>
    public RealtimeTurnDetection? TurnDetection { get; init; } = new();
}
