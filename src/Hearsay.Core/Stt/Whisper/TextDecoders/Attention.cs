using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>
/// Multi-head scaled dot-product attention of one query row over a run of key and value rows ([rows, state], the
/// heads side by side in each row). Rows are read in order, all heads at once, which keeps memory access sequential.
/// Over many rows (the 1,500 audio positions) the rows are split across threads, each computing a partial softmax
/// (its own maximum, sum and weighted values) that are merged exactly at the end.
/// </summary>
internal sealed class Attention
{
    // Below this many key rows everything stays on the calling thread.
    private const int ParallelRows = 256;

    private readonly int _state;
    private readonly int _heads;
    private readonly int _headSize;
    private readonly int _maxKeys;
    private readonly float _scale;
    private readonly int _parts;
    private readonly float[] _scores;
    private readonly float[] _partMax;
    private readonly float[] _partSum;
    private readonly float[] _partOutput;

    public Attention(int state, int heads, int maxKeys, int threads)
    {
        _state = state;
        _heads = heads;
        _headSize = state / heads;
        _maxKeys = maxKeys;
        _scale = 1f / MathF.Sqrt(_headSize);
        _parts = Math.Max(1, threads);
        _scores = new float[heads * maxKeys];
        _partMax = new float[_parts * heads];
        _partSum = new float[_parts * heads];
        _partOutput = new float[_parts * state];
    }

    /// <summary>
    /// Writes into <paramref name="output"/>[outputOffset..+state] each head's softmax(q·kᵀ/√d)·v over
    /// <paramref name="count"/> rows of <paramref name="keys"/> and <paramref name="values"/> starting at element
    /// <paramref name="rowsOffset"/>, for the query at <paramref name="query"/>[queryOffset..+state].
    /// </summary>
    public void Apply(float[] query, int queryOffset, float[] keys, float[] values, int rowsOffset, int count, float[] output, int outputOffset)
    {
        var job = new Job(this, query, queryOffset, keys, values, rowsOffset);
        var parts = count < ParallelRows ? 1 : _parts;
        ThreadRanges.For(count, parts, job.Rows);
        Merge(parts, output.AsSpan(outputOffset, _state));
    }

    /// <summary>Combines the parts' softmax pieces: each is rescaled from its own maximum to the overall one.</summary>
    private void Merge(int parts, Span<float> output)
    {
        var d = _headSize;
        for (var h = 0; h < _heads; h++)
        {
            var max = float.NegativeInfinity;
            for (var p = 0; p < parts; p++)
            {
                max = Math.Max(max, _partMax[(p * _heads) + h]);
            }

            var head = output.Slice(h * d, d);
            head.Clear();
            var sum = 0f;
            for (var p = 0; p < parts; p++)
            {
                var factor = MathF.Exp(_partMax[(p * _heads) + h] - max);
                sum += _partSum[(p * _heads) + h] * factor;
                MultiplyAdd(_partOutput.AsSpan((p * _state) + (h * d), d), factor, head);
            }

            TensorPrimitives.Divide(head, sum, head);
        }
    }

    private readonly record struct Job(Attention Owner, float[] Query, int QueryOffset, float[] Keys, float[] Values, int RowsOffset)
    {
        /// <summary>Part <paramref name="part"/>: rows <paramref name="start"/> to <paramref name="end"/>.</summary>
        public void Rows(int part, int start, int end)
        {
            var (state, heads, d, maxKeys) = (Owner._state, Owner._heads, Owner._headSize, Owner._maxKeys);
            var q = Query.AsSpan(QueryOffset, state);
            for (var t = start; t < end; t++)
            {
                var key = Keys.AsSpan(RowsOffset + (t * state), state);
                for (var h = 0; h < heads; h++)
                {
                    Owner._scores[(h * maxKeys) + t] = Dot(q.Slice(h * d, d), key.Slice(h * d, d)) * Owner._scale;
                }
            }

            for (var h = 0; h < heads; h++)
            {
                var scores = Owner._scores.AsSpan((h * maxKeys) + start, end - start);
                var max = TensorPrimitives.Max(scores);
                TensorPrimitives.Subtract(scores, max, scores);
                TensorPrimitives.Exp(scores, scores);
                Owner._partMax[(part * heads) + h] = max;
                Owner._partSum[(part * heads) + h] = TensorPrimitives.Sum(scores);
            }

            var output = Owner._partOutput.AsSpan(part * state, state);
            output.Clear();
            for (var t = start; t < end; t++)
            {
                var value = Values.AsSpan(RowsOffset + (t * state), state);
                for (var h = 0; h < heads; h++)
                {
                    MultiplyAdd(value.Slice(h * d, d), Owner._scores[(h * maxKeys) + t], output.Slice(h * d, d));
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length % Vector256<float>.Count != 0 || !Vector256.IsHardwareAccelerated)
        {
            return TensorPrimitives.Dot(a, b);
        }

        ref var x = ref MemoryMarshal.GetReference(a);
        ref var y = ref MemoryMarshal.GetReference(b);
        var sum = Vector256<float>.Zero;
        for (nuint i = 0; i < (nuint)a.Length; i += (nuint)Vector256<float>.Count)
        {
            sum = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, i), Vector256.LoadUnsafe(ref y, i), sum);
        }

        return Vector256.Sum(sum);
    }

    /// <summary>destination += source · weight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void MultiplyAdd(ReadOnlySpan<float> source, float weight, Span<float> destination)
    {
        if (source.Length % Vector256<float>.Count != 0 || !Vector256.IsHardwareAccelerated)
        {
            TensorPrimitives.MultiplyAdd(source, weight, destination, destination);
            return;
        }

        ref var s = ref MemoryMarshal.GetReference(source);
        ref var o = ref MemoryMarshal.GetReference(destination);
        var w = Vector256.Create(weight);
        for (nuint i = 0; i < (nuint)source.Length; i += (nuint)Vector256<float>.Count)
        {
            Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref s, i), w, Vector256.LoadUnsafe(ref o, i)).StoreUnsafe(ref o, i);
        }
    }
}
