namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>One decoder block: pre-norm causal self-attention, cross-attention to the audio, and a GELU MLP.</summary>
internal sealed record DecoderLayer(
    LayerNorm SelfAttentionNorm,
    Linear SelfQuery,
    Linear SelfKey,
    Linear SelfValue,
    Linear SelfOut,
    LayerNorm CrossAttentionNorm,
    Linear CrossQuery,
    Linear CrossOut,
    LayerNorm MlpNorm,
    Linear MlpUp,
    Linear MlpDown);

/// <summary>
/// Everything a Whisper text decoder step needs, read from the decoder file. The cross-attention key and value
/// projections are not here: the encoder file applies them. Dispose to close the file the embedding is read from.
/// </summary>
/// <param name="Dimensions">The decoder's shape.</param>
/// <param name="TokenEmbedding">[vocabulary, state] token embedding, which is also the output projection (logits = x·Eᵀ).</param>
/// <param name="Positions">[context, state] learned positional embedding.</param>
/// <param name="Layers">The blocks, in order.</param>
/// <param name="FinalNorm">The norm before the logits.</param>
/// <param name="LogitScreen">The int8 copy of the token embedding that estimates the logits.</param>
/// <param name="Threads">The threads a step's larger products are split across.</param>
internal sealed record DecoderWeights(
    DecoderDimensions Dimensions,
    EmbeddingRows TokenEmbedding,
    float[] Positions,
    IReadOnlyList<DecoderLayer> Layers,
    LayerNorm FinalNorm,
    LogitScreen LogitScreen,
    int Threads) : IDisposable
{
    public void Dispose() => TokenEmbedding.Dispose();
}
