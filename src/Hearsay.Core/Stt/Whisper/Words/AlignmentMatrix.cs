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
        var matrix = new float[tokens * frames];
        var column = new float[tokens];
        var filtered = new float[frames];
        var window = new float[MedianWidth];
        for (var h = 0; h < heads; h++)
        {
            var head = scores.AsSpan(h * tokens * frames, tokens * frames);
            for (var r = 0; r < tokens; r++)
            {
                TensorPrimitives.SoftMax(head.Slice(r * frames, frames), head.Slice(r * frames, frames));
            }

            for (var t = 0; t < frames; t++)
            {
                NormalizeColumn(head, tokens, frames, t, column);
            }

            for (var r = 0; r < tokens; r++)
            {
                var row = head.Slice(r * frames, frames);
                MedianFilter(row, filtered, window);
                TensorPrimitives.Add(matrix.AsSpan(r * frames, frames), filtered, matrix.AsSpan(r * frames, frames));
            }
        }

        TensorPrimitives.Divide(matrix, heads, matrix);
        return matrix;
    }

    /// <summary>Frame <paramref name="frame"/> of every token: (w − mean) / std over the tokens.</summary>
    private static void NormalizeColumn(Span<float> head, int tokens, int frames, int frame, float[] column)
    {
        for (var r = 0; r < tokens; r++)
        {
            column[r] = head[(r * frames) + frame];
        }

        var mean = TensorPrimitives.Sum(column) / tokens;
        var variance = 0f;
        foreach (var value in column)
        {
            variance += (value - mean) * (value - mean);
        }

        var std = MathF.Sqrt(variance / tokens);
        for (var r = 0; r < tokens; r++)
        {
            head[(r * frames) + frame] = (column[r] - mean) / std;
        }
    }

    /// <summary>
    /// The median of each <see cref="MedianWidth"/> values around each element, the row reflected at its ends
    /// (without repeating the edge); rows no longer than half the width are copied unfiltered, as OpenAI's are.
    /// </summary>
    public static void MedianFilter(ReadOnlySpan<float> row, Span<float> output, Span<float> window)
    {
        var half = MedianWidth / 2;
        var n = row.Length;
        if (n <= half)
        {
            row.CopyTo(output);
            return;
        }

        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < MedianWidth; k++)
            {
                window[k] = row[Reflect(i + k - half, n)];
            }

            window.Sort();
            output[i] = window[half];
        }
    }

    private static int Reflect(int index, int length) =>
        index < 0 ? -index : index >= length ? (2 * (length - 1)) - index : index;
}
