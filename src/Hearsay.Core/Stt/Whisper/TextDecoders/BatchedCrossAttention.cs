using System.Numerics.Tensors;

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
        for (var t = 0; t < count; t++)
        {
            var key = keys.AsSpan(rowsOffset + (t * state), state);
            for (var i = 0; i < state; i++)
            {
                transposed[(i * count) + t] = key[i];
            }
        }

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
        var d = _headSize;
        var scale = 1f / MathF.Sqrt(d);
        scores.AsSpan(0, heads * BlockRows * count).Clear();
        for (var h = 0; h < heads; h++)
        {
            for (var i = h * d; i < (h + 1) * d; i++)
            {
                // One element of the keys at every position, against that element of each row's query.
                var keyElement = transposed.AsSpan(i * count, count);
                for (var r = 0; r < rows; r++)
                {
                    var row = scores.AsSpan(((h * BlockRows) + r) * count, count);
                    TensorPrimitives.MultiplyAdd(keyElement, query[((first + r) * state) + i], row, row);
                }
            }

            for (var r = 0; r < rows; r++)
            {
                var row = scores.AsSpan(((h * BlockRows) + r) * count, count);
                TensorPrimitives.Multiply(row, scale, row);
            }
        }

        for (var r = 0; r < rows; r++)
        {
            for (var h = 0; h < heads; h++)
            {
                var row = scores.AsSpan(((h * BlockRows) + r) * count, count);
                sink?.Invoke(h, first + r, row);
                if (!scoresOnly)
                {
                    TensorPrimitives.SoftMax(row, row);
                }
            }
        }

        if (scoresOnly)
        {
            return;
        }

        var attended = output.AsSpan(first * state, rows * state);
        attended.Clear();
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
    }
}
