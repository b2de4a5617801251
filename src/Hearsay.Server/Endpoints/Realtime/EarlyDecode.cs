using Hearsay.Core.Stt;

namespace Hearsay.Server.Endpoints.Realtime;

/// <summary>
/// The decode of an utterance up to a pause, made before the silence is confirmed. Read and written by the session's
/// worker loop only, one decode after another; <see cref="TranscriptionWorker"/>'s lock guards which one is current.
/// </summary>
internal sealed class EarlyDecode(Utterance utterance)
{
    public Utterance Utterance { get; } = utterance;

    /// <summary>Whether the worker has taken it up.</summary>
    public bool Started { get; set; }

    /// <summary>The decode, once it ran to its end; null while it has not, or when it was cancelled or given up.</summary>
    public Decoded? Result { get; set; }
}

/// <summary>A decode's transcription and how many seconds of audio it covered.</summary>
internal sealed record Decoded(Transcription Transcription, double Seconds);

/// <summary>What a decode is for, which decides how it meets a busy engine and whether it falls back to higher temperatures.</summary>
internal enum DecodeKind
{
    Final,
    Early,
    Interim,
}
