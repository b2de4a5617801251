using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>Numerically stable softmax helpers over float logits, computed in double precision.</summary>
internal static class LogProbabilities
{
    public static double Max(ReadOnlySpan<float> logits)
    {
        var max = double.NegativeInfinity;
        foreach (var value in logits)
        {
            max = Math.Max(max, value);
        }

        return max;
    }

    /// <summary>log Σ exp(x); -∞ for an empty or fully masked span.</summary>
    public static double LogSumExp(ReadOnlySpan<float> logits)
    {
        var max = Max(logits);
        if (double.IsNegativeInfinity(max))
        {
            return double.NegativeInfinity;
        }

        var sum = 0.0;
        foreach (var value in logits)
        {
            sum += Math.Exp(value - max);
        }

        return max + Math.Log(sum);
    }

    /// <summary>log softmax(logits)[index].</summary>
    public static double LogSoftmaxAt(ReadOnlySpan<float> logits, int index) => logits[index] - LogSumExp(logits);

    /// <summary>The first index of the largest value, as <c>torch.argmax</c> picks it.</summary>
    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        // The first index equal to the maximum (−0 equals +0, as the comparison ">" has it), in two vectorized passes:
        // a step scans 51,864 of them. Logits are never NaN.
        var max = TensorPrimitives.Max(logits);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var target = Vector256.Create(max);
            ref var first = ref MemoryMarshal.GetReference(logits);
            for (; i + Vector256<float>.Count <= logits.Length; i += Vector256<float>.Count)
            {
                var equal = Vector256.Equals(Vector256.LoadUnsafe(ref first, (nuint)i), target).ExtractMostSignificantBits();
                if (equal != 0)
                {
                    return i + BitOperations.TrailingZeroCount(equal);
                }
            }
        }

        for (; i < logits.Length; i++)
        {
            if (logits[i] == max)
            {
                return i;
            }
        }

        return 0;
    }
}
