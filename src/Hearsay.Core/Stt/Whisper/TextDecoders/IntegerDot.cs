using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>Exact integer dot products of quantized activations with int8 weights.</summary>
internal static class IntegerDot
{
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
}
