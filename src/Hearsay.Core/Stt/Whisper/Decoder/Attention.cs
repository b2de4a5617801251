using System.Numerics.Tensors;

namespace Hearsay.Core.Stt.Whisper.Decoder;

/// <summary>Multi-head scaled dot-product attention of one query row over a run of key and value rows.</summary>
internal sealed class Attention(int state, int heads, int maxKeys)
{
    private readonly int _headSize = state / heads;
    private readonly float _scale = 1f / MathF.Sqrt(state / heads);
    private readonly float[] _scores = new float[heads * maxKeys];

    /// <summary>
    /// Writes into <paramref name="output"/> ([state]) each head's softmax(q·kᵀ/√d)·v over the first
    /// <paramref name="count"/> rows of <paramref name="keys"/> and <paramref name="values"/> ([rows, state]).
    /// </summary>
    public void Apply(ReadOnlySpan<float> query, ReadOnlySpan<float> keys, ReadOnlySpan<float> values, int count, Span<float> output)
    {
        var d = _headSize;
        for (var t = 0; t < count; t++)
        {
            var key = keys.Slice(t * state, state);
            for (var h = 0; h < heads; h++)
            {
                _scores[(h * count) + t] = TensorPrimitives.Dot(query.Slice(h * d, d), key.Slice(h * d, d)) * _scale;
            }
        }

        for (var h = 0; h < heads; h++)
        {
            var scores = _scores.AsSpan(h * count, count);
            TensorPrimitives.Subtract(scores, TensorPrimitives.Max(scores), scores);
            TensorPrimitives.Exp(scores, scores);
            TensorPrimitives.Divide(scores, TensorPrimitives.Sum(scores), scores);
        }

        output[..state].Clear();
        for (var t = 0; t < count; t++)
        {
            var value = values.Slice(t * state, state);
            for (var h = 0; h < heads; h++)
            {
                var head = output.Slice(h * d, d);
                TensorPrimitives.MultiplyAdd(value.Slice(h * d, d), _scores[(h * count) + t], head, head);
            }
        }
    }
}
