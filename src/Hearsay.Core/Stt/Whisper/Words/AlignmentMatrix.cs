using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Hearsay.Core.Stt.Whisper.TextDecoders;

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

    /// <summary>
    /// The matrix [tokens, frames], from <paramref name="scores"/> [heads, tokens, frames] (overwritten). The heads are
    /// shared out to <paramref name="threads"/> threads, then summed in order, as one thread would: the same values.
    /// </summary>
    public static float[] Build(float[] scores, int heads, int tokens, int frames, int threads)
    {
        if (frames == 0)
        {
            // A window of a single mel frame has no audio position to align with; OpenAI's DTW then puts every token at
            // frame -1, as DynamicTimeWarping does with no columns.
            return [];
        }

        var size = tokens * frames;
        ThreadRanges.For(heads, Math.Min(threads, heads), (_, start, end) =>
        {
            var mean = new float[frames];
            var deviation = new float[frames];
            var filtered = new float[frames];
            var padded = new float[PaddedLength(frames)];
            for (var h = start; h < end; h++)
            {
                FilterHead(scores.AsSpan(h * size, size), tokens, frames, mean, deviation, filtered, padded);
            }
        });

        var matrix = new float[size];
        for (var h = 0; h < heads; h++)
        {
            TensorPrimitives.Add(matrix, scores.AsSpan(h * size, size), matrix);
        }

        TensorPrimitives.Divide(matrix, heads, matrix);
        return matrix;
    }

    /// <summary>One head's scores become its softmaxed, normalized and median-filtered weights, in place.</summary>
    private static void FilterHead(Span<float> head, int tokens, int frames, float[] mean, float[] deviation, float[] filtered, float[] padded)
    {
        for (var r = 0; r < tokens; r++)
        {
            // SoftMax's steps with each exponential computed once (SoftMax computes them twice): the same values.
            var row = head.Slice(r * frames, frames);
            TensorPrimitives.Exp(row, row);
            TensorPrimitives.Divide(row, TensorPrimitives.Sum(row), row);
        }

        NormalizeOverTokens(head, tokens, frames, mean, deviation);
        for (var r = 0; r < tokens; r++)
        {
            var row = head.Slice(r * frames, frames);
            MedianFilter(row, filtered, padded);
            filtered.CopyTo(row);
        }
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

    /// <summary>The scratch <see cref="MedianFilter"/> needs for a row of <paramref name="length"/> values.</summary>
    public static int PaddedLength(int length) => length + MedianWidth - 1;

    /// <summary>
    /// The median of each <see cref="MedianWidth"/> values around each element, the row reflected at its ends
    /// (without repeating the edge); rows no longer than half the width are copied unfiltered, as OpenAI's are.
    /// <paramref name="padded"/> is scratch of at least <see cref="PaddedLength"/> values, reused from row to row.
    /// </summary>
    public static void MedianFilter(ReadOnlySpan<float> row, Span<float> output, Span<float> padded)
    {
        var half = MedianWidth / 2;
        var n = row.Length;
        if (n <= half)
        {
            row.CopyTo(output);
            return;
        }

        // The row with its reflections on both sides, so the windows of eight neighbouring elements are eight loads.
        row.CopyTo(padded[half..]);
        for (var k = 1; k <= half; k++)
        {
            padded[half - k] = row[k];
            padded[half + n - 1 + k] = row[n - 1 - k];
        }

        var at = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; at + Vector256<float>.Count <= n; at += Vector256<float>.Count)
            {
                MedianOfEight(padded, at).StoreUnsafe(ref MemoryMarshal.GetReference(output), (nuint)at);
            }
        }

        Span<float> window = stackalloc float[MedianWidth];
        for (; at < n; at++)
        {
            // Insertion sort: seven values are sorted faster by hand than by a general sort.
            for (var k = 0; k < MedianWidth; k++)
            {
                var value = padded[at + k];
                var j = k;
                for (; j > 0 && window[j - 1] > value; j--)
                {
                    window[j] = window[j - 1];
                }

                window[j] = value;
            }

            output[at] = window[half];
        }
    }

    /// <summary>
    /// The medians of the windows starting at <paramref name="at"/> to <paramref name="at"/>+7 of
    /// <paramref name="padded"/>: a sorting network of seven (16 compare-exchanges), lane by lane. The median is one of
    /// the values, so it equals the insertion sort's; it was most of the matrix's time done per element.
    /// </summary>
    private static Vector256<float> MedianOfEight(ReadOnlySpan<float> padded, int at)
    {
        ref var start = ref MemoryMarshal.GetReference(padded);
        var a0 = Vector256.LoadUnsafe(ref start, (nuint)at);
        var a1 = Vector256.LoadUnsafe(ref start, (nuint)(at + 1));
        var a2 = Vector256.LoadUnsafe(ref start, (nuint)(at + 2));
        var a3 = Vector256.LoadUnsafe(ref start, (nuint)(at + 3));
        var a4 = Vector256.LoadUnsafe(ref start, (nuint)(at + 4));
        var a5 = Vector256.LoadUnsafe(ref start, (nuint)(at + 5));
        var a6 = Vector256.LoadUnsafe(ref start, (nuint)(at + 6));
        Exchange(ref a0, ref a6);
        Exchange(ref a2, ref a3);
        Exchange(ref a4, ref a5);
        Exchange(ref a0, ref a2);
        Exchange(ref a1, ref a4);
        Exchange(ref a3, ref a6);
        Exchange(ref a0, ref a1);
        Exchange(ref a2, ref a5);
        Exchange(ref a3, ref a4);
        Exchange(ref a1, ref a2);
        Exchange(ref a4, ref a6);
        Exchange(ref a2, ref a3);
        Exchange(ref a4, ref a5);
        Exchange(ref a1, ref a2);
        Exchange(ref a3, ref a4);
        Exchange(ref a5, ref a6);
        return a3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Exchange(ref Vector256<float> low, ref Vector256<float> high)
    {
        var min = Vector256.Min(low, high);
        high = Vector256.Max(low, high);
        low = min;
    }
}
