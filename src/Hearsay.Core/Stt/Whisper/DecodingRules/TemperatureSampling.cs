using System.Numerics.Tensors;
using Hearsay.Core.Stt.Whisper.TextDecoders;

namespace Hearsay.Core.Stt.Whisper.DecodingRules;

/// <summary>
/// Draws a token from softmax(exact logits / temperature), as OpenAI's sampling does, while knowing only estimates:
/// rejection sampling under the estimates' upper bounds. A token is proposed with probability ∝ exp(upper bound / T)
/// and accepted with probability exp((exact − upper bound) / T), so only proposed tokens are computed exactly, and an
/// accepted token follows the exact distribution. Before this, a sampled window computed every logit exactly at every
/// step and held the float32 vocabulary in memory for it (80 MB for tiny.en, 260 MB for large).
/// </summary>
/// <remarks>
/// A rejected token's bound tightens to its exact logit for the next proposal; every proposal stays above the exact
/// distribution, which is all rejection sampling needs. Expected proposals per draw are Σ exp(bound / T) / Σ exp(exact / T),
/// at most exp(2 · largest error / T), and fewer because <see cref="LogitRefinement.ForChoice"/> has made the likeliest
/// tokens exact already. One sampler serves a run's windows one at a time: its weights (a double per token, 415 KB for
/// Whisper's vocabulary) are made at the first sampled step and reused, where a new array per step had a sampled
/// window allocate some 80 MB a second, whose collections promoted the request's own buffers into the old generation.
/// </remarks>
internal sealed class TemperatureSampling
{
    private double[]? _weights;

    /// <summary>Draws from softmax(<paramref name="logits"/> / <paramref name="temperature"/>) over the unmasked tokens; the drawn logit is exact.</summary>
    public int Sample(ILogitEstimates estimates, Span<float> logits, double temperature, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(temperature);
        var errors = estimates.LogitErrors;
        if (_weights?.Length != logits.Length)
        {
            _weights = new double[logits.Length];
        }

        var weights = _weights;
        var ceiling = double.NegativeInfinity;
        for (var i = 0; i < logits.Length; i++)
        {
            weights[i] = logits[i] + (double)errors[i];
            ceiling = Math.Max(ceiling, weights[i]);
        }

        if (double.IsNegativeInfinity(ceiling))
        {
            throw new InvalidOperationException("Every token is masked: there is nothing to sample.");
        }

        // Masked tokens (−∞) get weight 0.
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = (weights[i] - ceiling) / temperature;
        }

        TensorPrimitives.Exp(weights, weights);
        while (true)
        {
            var token = Pick(weights, random.NextDouble());
            if (errors[token] == 0)
            {
                return token;
            }

            var bound = logits[token] + (double)errors[token];
            estimates.Refine(logits, token);
            if (random.NextDouble() < Math.Exp((logits[token] - bound) / temperature))
            {
                return token;
            }

            weights[token] = Math.Exp((logits[token] - ceiling) / temperature);
        }
    }

    /// <summary>The token at cumulative weight <paramref name="fraction"/> of the total.</summary>
    private static int Pick(ReadOnlySpan<double> weights, double fraction)
    {
        var target = fraction * TensorPrimitives.Sum(weights);
        var cumulative = 0.0;
        var last = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            if (weights[i] == 0)
            {
                continue;
            }

            cumulative += weights[i];
            last = i;
            if (cumulative > target)
            {
                return i;
            }
        }

        // Rounding left the target at the very end.
        return last;
    }
}
