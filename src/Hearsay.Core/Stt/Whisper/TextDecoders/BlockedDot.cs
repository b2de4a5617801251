using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>
/// Dot products of many vectors with many rows, register-blocked: two rows meet four vectors per pass, so each load
/// feeds more than one multiply-add and the products run near the FMA units' rate instead of the loads'.
/// </summary>
internal static class BlockedDot
{
    private const int Rows = 2;
    private const int Vectors = 4;

    /// <summary>
    /// <c>results[v][r] = rows[r] · vectors[v]</c> for every row of <paramref name="rows"/> (row-major, each
    /// <paramref name="width"/> long) and each vector.
    /// </summary>
    public static void Compute(ReadOnlySpan<float> rows, int width, float[][] vectors, float[][] results)
    {
        var rowCount = rows.Length / width;
        var v = 0;
        for (; v + Vectors <= vectors.Length; v += Vectors)
        {
            var r = 0;
            for (; r + Rows <= rowCount; r += Rows)
            {
                TwoRowsFourVectors(rows.Slice(r * width, Rows * width), width, vectors, v, results, r);
            }

            for (; r < rowCount; r++)
            {
                for (var k = v; k < v + Vectors; k++)
                {
                    results[k][r] = Dot(rows.Slice(r * width, width), vectors[k]);
                }
            }
        }

        for (; v < vectors.Length; v++)
        {
            for (var r = 0; r < rowCount; r++)
            {
                results[v][r] = Dot(rows.Slice(r * width, width), vectors[v]);
            }
        }
    }

    private static void TwoRowsFourVectors(ReadOnlySpan<float> rows, int width, float[][] vectors, int v, float[][] results, int r)
    {
        Span<float> sums = stackalloc float[Rows * Vectors];
        TwoRowsFourVectors(rows, width, vectors[v], vectors[v + 1], vectors[v + 2], vectors[v + 3], sums);
        for (var j = 0; j < Vectors; j++)
        {
            results[v + j][r] = sums[j];
            results[v + j][r + 1] = sums[Vectors + j];
        }
    }

    /// <summary>
    /// The kernel: <c>sums[j] = rows[0] · x_j</c> and <c>sums[4 + j] = rows[1] · x_j</c> for two rows of
    /// <paramref name="width"/> (<paramref name="rows"/> holds both) and four vectors.
    /// </summary>
    public static void TwoRowsFourVectors(
        ReadOnlySpan<float> rows, int width, ReadOnlySpan<float> x0, ReadOnlySpan<float> x1, ReadOnlySpan<float> x2, ReadOnlySpan<float> x3, Span<float> sums)
    {
        ref var row0 = ref MemoryMarshal.GetReference(rows);
        ref var row1 = ref Unsafe.Add(ref row0, width);
        ref var y0 = ref MemoryMarshal.GetReference(x0);
        ref var y1 = ref MemoryMarshal.GetReference(x1);
        ref var y2 = ref MemoryMarshal.GetReference(x2);
        ref var y3 = ref MemoryMarshal.GetReference(x3);
        Vector256<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector256<float> a10 = default, a11 = default, a12 = default, a13 = default;
        var k = 0;
        for (; k + 8 <= width; k += 8)
        {
            var at = (nuint)k;
            var w0 = Vector256.LoadUnsafe(ref row0, at);
            var w1 = Vector256.LoadUnsafe(ref row1, at);
            var y = Vector256.LoadUnsafe(ref y0, at);
            a00 = Vector256.FusedMultiplyAdd(w0, y, a00);
            a10 = Vector256.FusedMultiplyAdd(w1, y, a10);
            y = Vector256.LoadUnsafe(ref y1, at);
            a01 = Vector256.FusedMultiplyAdd(w0, y, a01);
            a11 = Vector256.FusedMultiplyAdd(w1, y, a11);
            y = Vector256.LoadUnsafe(ref y2, at);
            a02 = Vector256.FusedMultiplyAdd(w0, y, a02);
            a12 = Vector256.FusedMultiplyAdd(w1, y, a12);
            y = Vector256.LoadUnsafe(ref y3, at);
            a03 = Vector256.FusedMultiplyAdd(w0, y, a03);
            a13 = Vector256.FusedMultiplyAdd(w1, y, a13);
        }

        (sums[0], sums[1], sums[2], sums[3]) = (Vector256.Sum(a00), Vector256.Sum(a01), Vector256.Sum(a02), Vector256.Sum(a03));
        (sums[4], sums[5], sums[6], sums[7]) = (Vector256.Sum(a10), Vector256.Sum(a11), Vector256.Sum(a12), Vector256.Sum(a13));
        for (; k < width; k++)
        {
            ReadOnlySpan<float> x = [x0[k], x1[k], x2[k], x3[k]];
            for (var j = 0; j < Vectors; j++)
            {
                sums[j] += Unsafe.Add(ref row0, k) * x[j];
                sums[Vectors + j] += Unsafe.Add(ref row1, k) * x[j];
            }
        }
    }

    private static float Dot(ReadOnlySpan<float> row, float[] vector) => TensorPrimitives.Dot(row, vector);
}
