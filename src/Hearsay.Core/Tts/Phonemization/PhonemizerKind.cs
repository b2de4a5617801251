namespace Hearsay.Core.Tts.Phonemization;

/// <summary>Which espeak-ng phonemizes text (ADR 0010).</summary>
public enum PhonemizerKind
{
    /// <summary>The <c>espeak-ng</c> program installed on the machine or shipped beside <c>hearsay</c>.</summary>
    Native,

    /// <summary>espeak-ng compiled to WebAssembly, shipped beside <c>hearsay</c>, run in a worker process: nothing to install.</summary>
    Portable,
}
