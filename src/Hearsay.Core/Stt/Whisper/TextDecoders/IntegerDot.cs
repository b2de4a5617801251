using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>Exact integer dot products of quantized activations with int8 weights.</summary>
internal static class IntegerDot
{
    /// <summary>Weight rows per <see cref="Block"/>.</summary>
    public const int BlockOutputs = 2;

    /// <summary>Activation rows per <see cref="Block"/>.</summary>
    public const int BlockRows = 4;

    /// <summary>Σ x·w exactly: |x| ≤ 255 and |w| ≤ 128, so every product fits 16 bits and pairs of them 32.</summary>
    public static int Of(ReadOnlySpan<short> x, ReadOnlySpan<sbyte> w)
    {
        var i = 0;
        var sum = 0;
        if (Avx2.IsSupported && x.Length >= 32)
        {
            ref var xs = ref MemoryMarshal.GetReference(x);
            ref var ws = ref MemoryMarshal.GetReference(w);
            var acc = Vector256<int>.Zero;
            for (; i <= x.Length - 32; i += 32)
            {
                var (low, high) = Vector256.Widen(Vector256.LoadUnsafe(ref ws, (nuint)i));
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(low, Vector256.LoadUnsafe(ref xs, (nuint)i)));
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(high, Vector256.LoadUnsafe(ref xs, (nuint)(i + 16))));
            }

            sum = Vector256.Sum(acc);
        }

        for (; i < x.Length; i++)
        {
            sum += x[i] * w[i];
        }

        return sum;
    }

    /// <summary>
    /// <see cref="Of"/> for weight rows <paramref name="j"/> and <paramref name="j"/>+1 against activation rows
    /// <paramref name="row"/> to <paramref name="row"/>+3, into <paramref name="sums"/> [output, row]: each weight is
    /// widened once for four rows and each activation load feeds two products. The same exact sums.
    /// </summary>
    /// <returns>False, computing nothing, where AVX2 is missing or a row is not a multiple of 32 long.</returns>
    public static bool Block(short[] x, int row, sbyte[] w, int j, int width, Span<int> sums)
    {
        if (!Avx2.IsSupported || width % 32 != 0)
        {
            return false;
        }

        ref var x0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), row * width);
        ref var x1 = ref Unsafe.Add(ref x0, width);
        ref var x2 = ref Unsafe.Add(ref x1, width);
        ref var x3 = ref Unsafe.Add(ref x2, width);
        ref var w0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(w), j * width);
        ref var w1 = ref Unsafe.Add(ref w0, width);
        Vector256<int> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector256<int> a10 = default, a11 = default, a12 = default, a13 = default;
        for (nuint i = 0; i < (nuint)width; i += 32)
        {
            var (u0, u1) = Vector256.Widen(Vector256.LoadUnsafe(ref w0, i));
            var (v0, v1) = Vector256.Widen(Vector256.LoadUnsafe(ref w1, i));
            Accumulate(ref x0, i, u0, u1, v0, v1, ref a00, ref a10);
            Accumulate(ref x1, i, u0, u1, v0, v1, ref a01, ref a11);
            Accumulate(ref x2, i, u0, u1, v0, v1, ref a02, ref a12);
            Accumulate(ref x3, i, u0, u1, v0, v1, ref a03, ref a13);
        }

        (sums[0], sums[1], sums[2], sums[3]) = (Vector256.Sum(a00), Vector256.Sum(a01), Vector256.Sum(a02), Vector256.Sum(a03));
        (sums[4], sums[5], sums[6], sums[7]) = (Vector256.Sum(a10), Vector256.Sum(a11), Vector256.Sum(a12), Vector256.Sum(a13));
        return true;
    }

    /// <summary>One activation row's 32 values at <paramref name="i"/> against two widened weight rows (u and v).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(
        ref short x, nuint i, Vector256<short> u0, Vector256<short> u1, Vector256<short> v0, Vector256<short> v1, ref Vector256<int> withU, ref Vector256<int> withV)
    {
        var low = Vector256.LoadUnsafe(ref x, i);
        var high = Vector256.LoadUnsafe(ref x, i + 16);
        withU = Avx2.Add(withU, Avx2.Add(Avx2.MultiplyAddAdjacent(u0, low), Avx2.MultiplyAddAdjacent(u1, high)));
        withV = Avx2.Add(withV, Avx2.Add(Avx2.MultiplyAddAdjacent(v0, low), Avx2.MultiplyAddAdjacent(v1, high)));
    }
}
