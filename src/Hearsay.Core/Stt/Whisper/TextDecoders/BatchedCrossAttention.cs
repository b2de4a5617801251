using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>
/// Cross-attention of many query rows at once over the audio positions, for the pass that aligns words: rows are taken
/// in blocks, and the keys and values are read once per block rather than once per query row, which keeps the
/// 1,500 audio rows' traffic from memory a block's fraction of <see cref="Attention"/>'s row by row. The keys are
/// transposed first ([state, positions]), so a head's scores over all positions are multiply-adds along rows, with no
/// per-score horizontal sum. The same maths (softmax(q·kᵀ/√d)·v per head), summed in another order. Blocks are split
/// across threads.
/// </summary>
internal sealed class BatchedCrossAttention(int state, int heads, int threads)
{
    // Rows per block: their queries, scores and outputs stay in cache while the audio rows stream past.
    private const int BlockRows = 16;

    // Rows per register tile: four rows' sums over sixteen positions (or eight elements) fit the sixteen vector registers.
    private const int TileRows = 4;

    // Positions per scores tile: two vectors.
    private const int ScoresTilePositions = 2 * 8;

    // Elements of a head per values tile: two vectors, one cache line of a value row.
    private const int ValuesTileElements = 2 * 8;

    // Key rows transposed together: sixteen floats are one cache line of the transposed keys.
    private const int TransposeTile = 16;

    private readonly int _headSize = state / heads;
    private float[] _transposed = [];

    /// <summary>Receives a query row's scaled scores for one head, before the softmax.</summary>
    public delegate void ScoresSink(int head, int row, ReadOnlySpan<float> scores);

    /// <summary>
    /// Writes each of <paramref name="rows"/> query rows' attention over <paramref name="count"/> key and value rows
    /// starting at element <paramref name="rowsOffset"/> into <paramref name="output"/> ([rows, state]); with
    /// <paramref name="sink"/>, each head's scaled scores go to it first. With <paramref name="scoresOnly"/> nothing
    /// else is computed.
    /// </summary>
    public void Apply(
        float[] query, float[] keys, float[] values, int rowsOffset, int count, int rows, float[] output, ScoresSink? sink, bool scoresOnly)
    {
        if (_transposed.Length < state * count)
        {
            _transposed = new float[state * count];
        }

        var transposed = _transposed;
        var tiles = (count + TransposeTile - 1) / TransposeTile;
        ThreadRanges.For(tiles, Math.Min(threads, tiles), (_, start, end) =>
        {
            for (var tile = start; tile < end; tile++)
            {
                // A tile of positions at a time, so each element's run of them fills whole cache lines instead of
                // every write missing on its own (the row-by-row transpose was a third of the attention's time).
                var (first, last) = (tile * TransposeTile, Math.Min(count, (tile + 1) * TransposeTile));
                for (var i = 0; i < state; i++)
                {
                    for (var t = first; t < last; t++)
                    {
                        transposed[(i * count) + t] = keys[rowsOffset + (t * state) + i];
                    }
                }
            }
        });

        var blocks = (rows + BlockRows - 1) / BlockRows;
        ThreadRanges.For(blocks, Math.Min(threads, blocks), (_, start, end) =>
        {
            var scores = new float[heads * BlockRows * count];
            for (var block = start; block < end; block++)
            {
                var first = block * BlockRows;
                ApplyBlock(query, transposed, values, rowsOffset, count, first, Math.Min(BlockRows, rows - first), output, scores, sink, scoresOnly);
            }
        });
    }

    private void ApplyBlock(
        float[] query, float[] transposed, float[] values, int rowsOffset, int count, int first, int rows, float[] output, float[] scores, ScoresSink? sink, bool scoresOnly)
    {
        ComputeScores(query, transposed, count, first, rows, scores);
        for (var r = 0; r < rows; r++)
        {
            for (var h = 0; h < heads; h++)
            {
                var row = scores.AsSpan(((h * BlockRows) + r) * count, count);
                sink?.Invoke(h, first + r, row);
                if (!scoresOnly)
                {
                    // SoftMax's own steps (the sum of the exponentials, then each one divided by it) with each
                    // exponential computed once instead of twice.
                    TensorPrimitives.Exp(row, row);
                    TensorPrimitives.Divide(row, TensorPrimitives.Sum(row), row);
                }
            }
        }

        if (!scoresOnly)
        {
            ComputeValues(values, rowsOffset, count, first, rows, scores, output);
        }
    }

    /// <summary>
    /// The block's scaled scores, [head, row, position]. Each is Σᵢ qᵢ·kᵢ summed in order of i, then scaled, every
    /// product and sum rounded on its own: tiles of four rows by sixteen positions keep their sums in registers while
    /// the keys' elements go past (without vectors, or for fewer than sixteen positions, one by one, the same way).
    /// </summary>
    private void ComputeScores(float[] query, float[] transposed, int count, int first, int rows, float[] scores)
    {
        var d = _headSize;
        var scale = 1f / MathF.Sqrt(d);
        for (var h = 0; h < heads; h++)
        {
            var t = 0;
            if (Vector256.IsHardwareAccelerated && count >= ScoresTilePositions)
            {
                for (; t < count; t += ScoresTilePositions)
                {
                    // The last tile ends at the last position, overlapping the one before: a score depends only on its
                    // own position, so those computed twice come out the same, and no position is left to sum alone.
                    var at = Math.Min(t, count - ScoresTilePositions);
                    for (var r = 0; r < rows; r += TileRows)
                    {
                        ScoresTile(query, transposed, count, first, rows, h, r, at, scale, scores);
                    }
                }
            }

            for (; t < count; t++)
            {
                for (var r = 0; r < rows; r++)
                {
                    var sum = 0f;
                    for (var i = h * d; i < (h + 1) * d; i++)
                    {
                        sum += transposed[(i * count) + t] * query[((first + r) * state) + i];
                    }

                    scores[(((h * BlockRows) + r) * count) + t] = sum * scale;
                }
            }
        }
    }

    /// <summary>Rows <paramref name="r"/> to r+3 (the last row repeated past the block's end) of head <paramref name="h"/> at positions t to t+15.</summary>
    private void ScoresTile(float[] query, float[] transposed, int count, int first, int rows, int h, int r, int t, float scale, float[] scores)
    {
        var d = _headSize;
        var q0 = ((first + r) * state) + (h * d);
        var q1 = ((first + Math.Min(r + 1, rows - 1)) * state) + (h * d);
        var q2 = ((first + Math.Min(r + 2, rows - 1)) * state) + (h * d);
        var q3 = ((first + Math.Min(r + 3, rows - 1)) * state) + (h * d);
        // The loop reads through references: four checked array reads per element were a third of its instructions.
        ref var keys = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(transposed), (h * d * count) + t);
        ref var row0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(query), q0);
        ref var row1 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(query), q1);
        ref var row2 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(query), q2);
        ref var row3 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(query), q3);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default;
        for (var i = 0; i < d; i++)
        {
            var at = (nuint)(i * count);
            var low = Vector256.LoadUnsafe(ref keys, at);
            var high = Vector256.LoadUnsafe(ref keys, at + (nuint)Vector256<float>.Count);
            // Multiply, then add: the rounding the scores have always had (not fused).
            var q = Vector256.Create(Unsafe.Add(ref row0, i));
            a0 += low * q;
            b0 += high * q;
            q = Vector256.Create(Unsafe.Add(ref row1, i));
            a1 += low * q;
            b1 += high * q;
            q = Vector256.Create(Unsafe.Add(ref row2, i));
            a2 += low * q;
            b2 += high * q;
            q = Vector256.Create(Unsafe.Add(ref row3, i));
            a3 += low * q;
            b3 += high * q;
        }

        ref var output = ref MemoryMarshal.GetArrayDataReference(scores);
        Span<Vector256<float>> sums = [a0, b0, a1, b1, a2, b2, a3, b3];
        for (var k = 0; k < TileRows && r + k < rows; k++)
        {
            var at = (nuint)((((h * BlockRows) + r + k) * count) + t);
            (sums[2 * k] * scale).StoreUnsafe(ref output, at);
            (sums[(2 * k) + 1] * scale).StoreUnsafe(ref output, at + (nuint)Vector256<float>.Count);
        }
    }

    /// <summary>
    /// Each row's weighted sum of the values, Σₜ pₜ·vₜ fused and in order of t: tiles of four rows by sixteen elements
    /// of a head (a whole cache line of each value row) keep their sums in registers while the positions go past.
    /// </summary>
    private void ComputeValues(float[] values, int rowsOffset, int count, int first, int rows, float[] scores, float[] output)
    {
        var d = _headSize;
        var attended = output.AsSpan(first * state, rows * state);
        attended.Clear();
        if (!Vector256.IsHardwareAccelerated || d % ValuesTileElements != 0)
        {
            for (var t = 0; t < count; t++)
            {
                var value = values.AsSpan(rowsOffset + (t * state), state);
                for (var r = 0; r < rows; r++)
                {
                    for (var h = 0; h < heads; h++)
                    {
                        Attention.MultiplyAdd(value.Slice(h * d, d), scores[(((h * BlockRows) + r) * count) + t], attended.Slice((r * state) + (h * d), d));
                    }
                }
            }

            return;
        }

        for (var h = 0; h < heads; h++)
        {
            for (var c = h * d; c < (h + 1) * d; c += ValuesTileElements)
            {
                for (var r = 0; r < rows; r += TileRows)
                {
                    ValuesTile(values, rowsOffset, count, rows, h, c, r, scores, attended);
                }
            }
        }
    }

    /// <summary>Rows <paramref name="r"/> to r+3 (the last row repeated past the block's end), elements c to c+15 of head <paramref name="h"/>.</summary>
    private void ValuesTile(float[] values, int rowsOffset, int count, int rows, int h, int c, int r, float[] scores, Span<float> attended)
    {
        var p0 = ((h * BlockRows) + r) * count;
        var p1 = ((h * BlockRows) + Math.Min(r + 1, rows - 1)) * count;
        var p2 = ((h * BlockRows) + Math.Min(r + 2, rows - 1)) * count;
        var p3 = ((h * BlockRows) + Math.Min(r + 3, rows - 1)) * count;
        ref var value = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(values), rowsOffset + c);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default;
        ref var weights0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(scores), p0);
        ref var weights1 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(scores), p1);
        ref var weights2 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(scores), p2);
        ref var weights3 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(scores), p3);
        for (var t = 0; t < count; t++)
        {
            var low = Vector256.LoadUnsafe(ref value, (nuint)(t * state));
            var high = Vector256.LoadUnsafe(ref value, (nuint)((t * state) + Vector256<float>.Count));
            var p = Vector256.Create(Unsafe.Add(ref weights0, t));
            a0 = Vector256.FusedMultiplyAdd(low, p, a0);
            b0 = Vector256.FusedMultiplyAdd(high, p, b0);
            p = Vector256.Create(Unsafe.Add(ref weights1, t));
            a1 = Vector256.FusedMultiplyAdd(low, p, a1);
            b1 = Vector256.FusedMultiplyAdd(high, p, b1);
            p = Vector256.Create(Unsafe.Add(ref weights2, t));
            a2 = Vector256.FusedMultiplyAdd(low, p, a2);
            b2 = Vector256.FusedMultiplyAdd(high, p, b2);
            p = Vector256.Create(Unsafe.Add(ref weights3, t));
            a3 = Vector256.FusedMultiplyAdd(low, p, a3);
            b3 = Vector256.FusedMultiplyAdd(high, p, b3);
        }

        ref var output = ref MemoryMarshal.GetReference(attended);
        Span<Vector256<float>> sums = [a0, b0, a1, b1, a2, b2, a3, b3];
        for (var k = 0; k < TileRows && r + k < rows; k++)
        {
            var at = (nuint)(((r + k) * state) + c);
            sums[2 * k].StoreUnsafe(ref output, at);
            sums[(2 * k) + 1].StoreUnsafe(ref output, at + (nuint)Vector256<float>.Count);
        }
    }
}
