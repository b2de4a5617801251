using System.Numerics;
using System.Runtime.Intrinsics;
using Hearsay.Core.Stt.Whisper.TextDecoders;

namespace Hearsay.Core.Stt.Whisper.DecodingRules;

/// <summary>
/// Makes the decisions that depend on decoder logit estimates (<see cref="ILogitEstimates"/>) come out as the exact
/// logits would make them, computing exactly only the logits whose bounds leave a decision open. Masked logits (−∞)
/// are left alone. Every step scans the whole vocabulary, so the scans are vectorized, in double precision as their
/// scalar form (kept for the tail) computes them: the same values, the same decisions.
/// </summary>
internal static class LogitRefinement
{
    /// <summary>Makes exact every unmasked logit that could be the largest, so the argmax is the exact one.</summary>
    public static void ForChoice(ILogitEstimates estimates, Span<float> logits)
    {
        var errors = estimates.LogitErrors;
        var floor = Max(logits, errors, 0, logits.Length, -1);
        if (double.IsNegativeInfinity(floor))
        {
            return;
        }

        // The greatest exact logit is at least the floor, so nothing whose bound stays below it can win.
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var floors = Vector256.Create(floor);
            var infinity = Vector256.Create(float.PositiveInfinity);
            for (; i + Vector256<float>.Count <= logits.Length; i += Vector256<float>.Count)
            {
                var logit = Vector256.Create<float>(logits.Slice(i, Vector256<float>.Count));
                var error = Vector256.Create(errors.Slice(i, Vector256<float>.Count));
                var open = Vector256.GreaterThan(error, Vector256<float>.Zero) & Vector256.LessThan(Vector256.Abs(logit), infinity);
                if (open == Vector256<float>.Zero)
                {
                    continue;
                }

                var (logitLow, logitHigh) = Vector256.Widen(logit);
                var (errorLow, errorHigh) = Vector256.Widen(error);
                var reaches = Vector256.GreaterThanOrEqual(logitLow + errorLow, floors).ExtractMostSignificantBits()
                    | (Vector256.GreaterThanOrEqual(logitHigh + errorHigh, floors).ExtractMostSignificantBits() << Vector256<double>.Count);
                for (var candidates = open.ExtractMostSignificantBits() & reaches; candidates != 0; candidates &= candidates - 1)
                {
                    estimates.Refine(logits, i + BitOperations.TrailingZeroCount(candidates));
                }
            }
        }

        for (; i < logits.Length; i++)
        {
            if (errors[i] > 0 && float.IsFinite(logits[i]) && (double)logits[i] + errors[i] >= floor)
            {
                estimates.Refine(logits, i);
            }
        }
    }

    /// <summary>
    /// OpenAI's timestamp rule compares the timestamps' total probability with the most likely text token's
    /// (log Σ exp of logits[<paramref name="timestampBegin"/>..] against max of logits[..timestampBegin]); this answers
    /// it as the exact logits would, refining only when the estimates' bounds leave it open.
    /// </summary>
    public static bool TimestampsOutweighText(ILogitEstimates estimates, Span<float> logits, int timestampBegin)
    {
        var errors = estimates.LogitErrors;
        var timestampsLow = LogSumExp(logits, errors, timestampBegin, logits.Length, -1);
        var timestampsHigh = LogSumExp(logits, errors, timestampBegin, logits.Length, 1);
        var textLow = Max(logits, errors, 0, timestampBegin, -1);
        var textHigh = Max(logits, errors, 0, timestampBegin, 1);
        if (timestampsLow > textHigh)
        {
            return true;
        }

        if (timestampsHigh <= textLow)
        {
            return false;
        }

        estimates.RefineAll(logits);
        return LogProbabilities.LogSumExp(logits[timestampBegin..]) > LogProbabilities.Max(logits[..timestampBegin]);
    }

    /// <summary>max over [start, end) of (logit + side·error), −∞ when all are masked.</summary>
    private static double Max(ReadOnlySpan<float> logits, ReadOnlySpan<float> errors, int start, int end, int side)
    {
        var max = double.NegativeInfinity;
        var i = start;
        if (Vector256.IsHardwareAccelerated)
        {
            var best = Vector256.Create(double.NegativeInfinity);
            var sign = Vector256.Create((double)side);
            for (; i + Vector256<float>.Count <= end; i += Vector256<float>.Count)
            {
                var (logitLow, logitHigh) = Vector256.Widen(Vector256.Create(logits.Slice(i, Vector256<float>.Count)));
                var (errorLow, errorHigh) = Vector256.Widen(Vector256.Create(errors.Slice(i, Vector256<float>.Count)));
                best = Vector256.Max(best, logitLow + (sign * errorLow));
                best = Vector256.Max(best, logitHigh + (sign * errorHigh));
            }

            for (var lane = 0; lane < Vector256<double>.Count; lane++)
            {
                max = Math.Max(max, best[lane]);
            }
        }

        for (; i < end; i++)
        {
            max = Math.Max(max, logits[i] + ((double)side * errors[i]));
        }

        return max;
    }

    /// <summary>log Σ exp over [start, end) of (logit + side·error).</summary>
    private static double LogSumExp(ReadOnlySpan<float> logits, ReadOnlySpan<float> errors, int start, int end, int side)
    {
        var max = Max(logits, errors, start, end, side);
        if (double.IsNegativeInfinity(max))
        {
            return max;
        }

        var sum = 0.0;
        for (var i = start; i < end; i++)
        {
            sum += Math.Exp(logits[i] + ((double)side * errors[i]) - max);
        }

        return max + Math.Log(sum);
    }
}
