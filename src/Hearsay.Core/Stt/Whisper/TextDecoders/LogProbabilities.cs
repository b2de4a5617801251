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
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>Draws an index from softmax(logits / temperature).</summary>
    public static int Sample(ReadOnlySpan<float> logits, double temperature, Random random)
    {
        var max = Max(logits);
        var total = 0.0;
        foreach (var value in logits)
        {
            total += Math.Exp((value - max) / temperature);
        }

        var target = random.NextDouble() * total;
        var cumulative = 0.0;
        var last = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            if (float.IsNegativeInfinity(logits[i]))
            {
                continue;
            }

            cumulative += Math.Exp((logits[i] - max) / temperature);
            last = i;
            if (cumulative >= target)
            {
                return i;
            }
        }

        return last;
    }
}
