namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>
/// Whisper's text decoder over one encoded window, with its self-attention cache: feeds tokens one position at a time
/// and returns the next token's logits. Those may be estimates within <see cref="ILogitEstimates.LogitErrors"/> of the
/// exact values. Not thread-safe; one per transcription.
/// </summary>
internal interface ITextDecoder : ILogitEstimates, IDisposable
{
    /// <summary>Positions fed so far in this window.</summary>
    int Offset { get; }

    /// <summary>
    /// Starts a new sequence with <paramref name="tokens"/> at position 0 and returns the logits after the last one
    /// (valid until the next call). When <paramref name="sotLogits"/> is not empty, the exact logits after position
    /// <paramref name="sotIndex"/> are copied into it too.
    /// </summary>
    ReadOnlySpan<float> Start(IReadOnlyList<int> tokens, int sotIndex, Span<float> sotLogits, CancellationToken cancellationToken);

    /// <summary>Feeds one token at the next position and returns its logits (valid until the next call).</summary>
    ReadOnlySpan<float> Step(int token, CancellationToken cancellationToken);
}
