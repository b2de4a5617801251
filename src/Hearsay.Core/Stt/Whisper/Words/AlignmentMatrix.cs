using System.Numerics.Tensors;

namespace Hearsay.Core.Stt.Whisper.Words;

/// <summary>
/// OpenAI's alignment matrix (<c>find_alignment</c> in whisper/timing.py) from the alignment heads' cross-attention
/// scores: each token's scores softmaxed over the window's audio frames, each head's weights normalized per frame over
/// the tokens (mean and population standard deviation), median-filtered along the frames, and averaged over the heads.
/// </summary>
internal static class AlignmentMatrix
{
    /// <summary>OpenAI's <c>medfilt_width</c>.</summary>
    public const int MedianWidth = 7;

    /// <summary>The matrix [tokens, frames], from <paramref name="scores"/> [heads, tokens, frames] (overwritten).</summary>
    public static float[] Build(float[] scores, int heads, int tokens, int frames)
    {
        if (frames == 0)
        {
            // A window of a single mel frame has no audio position to align with; OpenAI's DTW then puts every token at
            // frame -1, as DynamicTimeWarping does with no columns.
            return [];
        }

        var matrix = new float[tokens * frames];
        var mean = new float[frames];
        var deviation = new float[frames];
        var filtered = new float[frames];
        for (var h = 0; h < heads; h++)
        {
            var head = scores.AsSpan(h * tokens * frames, tokens * frames);
            for (var r = 0; r < tokens; r++)
            {
                TensorPrimitives.SoftMax(head.Slice(r * frames, frames), head.Slice(r * frames, frames));
            }

            NormalizeOverTokens(head, tokens, frames, mean, deviation);
            for (var r = 0; r < tokens; r++)
            {
                MedianFilter(head.Slice(r * frames, frames), filtered);
                TensorPrimitives.Add(matrix.AsSpan(r * frames, frames), filtered, matrix.AsSpan(r * frames, frames));
            }
        }

        TensorPrimitives.Divide(matrix, heads, matrix);
        return matrix;
    }

    /// <summary>Each frame's weights over the tokens: (w − mean) / std, std the population's. Row by row, so it vectorizes.</summary>
    private static void NormalizeOverTokens(Span<float> head, int tokens, int frames, float[] mean, float[] deviation)
    {
        Array.Clear(mean);
        Array.Clear(deviation);
        for (var r = 0; r < tokens; r++)
        {
            TensorPrimitives.Add(mean, head.Slice(r * frames, frames), mean);
        }

        TensorPrimitives.Divide(mean, tokens, mean);
        for (var r = 0; r < tokens; r++)
        {
            var row = head.Slice(r * frames, frames);
            TensorPrimitives.Subtract(row, mean, row);
            TensorPrimitives.MultiplyAdd(row, row, deviation, deviation);
        }

        TensorPrimitives.Divide(deviation, tokens, deviation);
        TensorPrimitives.Sqrt(deviation, deviation);
        for (var r = 0; r < tokens; r++)
        {
            TensorPrimitives.Divide(head.Slice(r * frames, frames), deviation, head.Slice(r * frames, frames));
        }
    }

    /// <summary>
    /// The median of each <see cref="MedianWidth"/> values around each element, the row reflected at its ends
    /// (without repeating the edge); rows no longer than half the width are copied unfiltered, as OpenAI's are.
    /// </summary>
    public static void MedianFilter(ReadOnlySpan<float> row, Span<float> output)
    {
        Span<float> window = stackalloc float[MedianWidth];
        var half = MedianWidth / 2;
        var n = row.Length;
        if (n <= half)
        {
            row.CopyTo(output);
            return;
        }

        for (var i = 0; i < n; i++)
        {
            // Insertion sort: seven values are sorted faster by hand than by a general sort.
            for (var k = 0; k < MedianWidth; k++)
            {
                var value = row[Reflect(i + k - half, n)];
                var j = k;
                for (; j > 0 && window[j - 1] > value; j--)
                {
                    window[j] = window[j - 1];
                }

                window[j] = value;
            }

            output[i] = window[half];
        }
    }

    private static int Reflect(int index, int length) =>
        index < 0 ? -index : index >= length ? (2 * (length - 1)) - index : index;
}
