namespace Hearsay.Core.Stt;

/// <summary>What to produce from speech.</summary>
public enum TranscriptionTask
{
    /// <summary>Text in the spoken language.</summary>
    Transcribe,

    /// <summary>English text, whatever the spoken language (multilingual models only).</summary>
    Translate,
}
