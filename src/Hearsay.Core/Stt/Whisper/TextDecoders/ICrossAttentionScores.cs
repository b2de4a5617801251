using Hearsay.Core.Stt.Whisper.Model;

namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>
/// A text decoder that can report its cross-attention scores, which word timestamps are aligned with. Hearsay's own
/// decoder computes them; the ONNX Runtime graph has no such output.
/// </summary>
internal interface ICrossAttentionScores
{
    /// <summary>The threads the decoder's passes run on; the work on its scores is shared out to as many.</summary>
    int Threads { get; }

    /// <summary>
    /// Runs the decoder over <paramref name="tokens"/> from position 0 in one pass, as <see cref="ITextDecoder.Start"/>
    /// does (the self-attention cache then holds them), and returns the scaled scores q·kᵀ/√d of each head in
    /// <paramref name="heads"/> over the first <paramref name="frames"/> audio positions, laid out [head, token, frame].
    /// </summary>
    float[] CrossAttentionScores(IReadOnlyList<int> tokens, IReadOnlyList<AlignmentHead> heads, int frames, CancellationToken cancellationToken);
}
