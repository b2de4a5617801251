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
        ref var row0 = ref MemoryMarshal.GetReference(rows);
        ref var row1 = ref Unsafe.Add(ref row0, width);
        ref var x0 = ref MemoryMarshal.GetArrayDataReference(vectors[v]);
        ref var x1 = ref MemoryMarshal.GetArrayDataReference(vectors[v + 1]);
        ref var x2 = ref MemoryMarshal.GetArrayDataReference(vectors[v + 2]);
        ref var x3 = ref MemoryMarshal.GetArrayDataReference(vectors[v + 3]);
        Vector256<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector256<float> a10 = default, a11 = default, a12 = default, a13 = default;
        var k = 0;
        for (; k + 8 <= width; k += 8)
        {
            var at = (nuint)k;
            var w0 = Vector256.LoadUnsafe(ref row0, at);
            var w1 = Vector256.LoadUnsafe(ref row1, at);
            var y = Vector256.LoadUnsafe(ref x0, at);
            a00 = Vector256.FusedMultiplyAdd(w0, y, a00);
            a10 = Vector256.FusedMultiplyAdd(w1, y, a10);
            y = Vector256.LoadUnsafe(ref x1, at);
            a01 = Vector256.FusedMultiplyAdd(w0, y, a01);
            a11 = Vector256.FusedMultiplyAdd(w1, y, a11);
            y = Vector256.LoadUnsafe(ref x2, at);
            a02 = Vector256.FusedMultiplyAdd(w0, y, a02);
            a12 = Vector256.FusedMultiplyAdd(w1, y, a12);
            y = Vector256.LoadUnsafe(ref x3, at);
            a03 = Vector256.FusedMultiplyAdd(w0, y, a03);
            a13 = Vector256.FusedMultiplyAdd(w1, y, a13);
        }

        Span<float> sums =
        [
            Vector256.Sum(a00), Vector256.Sum(a01), Vector256.Sum(a02), Vector256.Sum(a03),
            Vector256.Sum(a10), Vector256.Sum(a11), Vector256.Sum(a12), Vector256.Sum(a13),
        ];
        for (; k < width; k++)
        {
            for (var j = 0; j < Vectors; j++)
            {
                var x = vectors[v + j][k];
                sums[j] += Unsafe.Add(ref row0, k) * x;
                sums[Vectors + j] += Unsafe.Add(ref row1, k) * x;
            }
        }

        for (var j = 0; j < Vectors; j++)
        {
            results[v + j][r] = sums[j];
            results[v + j][r + 1] = sums[Vectors + j];
        }
    }

    private static float Dot(ReadOnlySpan<float> row, float[] vector) => TensorPrimitives.Dot(row, vector);
}
