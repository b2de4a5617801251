using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>
/// The exact softmax normalizers (log Σ exp of the logits) of a window's decoder steps, whose logits were estimated.
/// Each step keeps its final state and its mask, and all steps are summed together in one pass over the float32
/// token embedding: each row is read once per window instead of once per step, and the logits come out of
/// <see cref="BlockedDot"/> as a small matrix product.
/// </summary>
internal sealed class DeferredNormalizers(EmbeddingRows embedding, int threads)
{
    private readonly List<Step> _steps = [];

    // The arrays of the steps already taken, for the next ones: a window keeps a state and a mask per step (about
    // 8 KB for tiny.en), and new ones every step lived long enough to reach the old generation.
    private readonly Stack<(float[] State, ulong[] Mask)> _spare = [];

    /// <summary>Keeps <paramref name="state"/> (the final layer norm's output) and which tokens <paramref name="filteredLogits"/> masks.</summary>
    public void AddDeferred(ReadOnlySpan<float> state, ReadOnlySpan<float> filteredLogits)
    {
        // Vectorized (a step's whole vocabulary): masked logits are −∞, so the largest of all is the largest unmasked.
        var words = (filteredLogits.Length + 63) / 64;
        var (kept, mask) = _spare.TryPop(out var spare) && spare.State.Length == state.Length && spare.Mask.Length == words
            ? spare
            : (new float[state.Length], new ulong[words]);
        Array.Clear(mask);
        state.CopyTo(kept);
        var token = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var masked = Vector256.Create(float.NegativeInfinity);
            for (; token + Vector256<float>.Count <= filteredLogits.Length; token += Vector256<float>.Count)
            {
                var bits = (ulong)Vector256.Equals(Vector256.Create(filteredLogits.Slice(token, Vector256<float>.Count)), masked).ExtractMostSignificantBits();
                mask[token >> 6] |= bits << (token & 63);
            }
        }

        for (; token < filteredLogits.Length; token++)
        {
            if (float.IsNegativeInfinity(filteredLogits[token]))
            {
                mask[token >> 6] |= 1UL << (token & 63);
            }
        }

        var max = filteredLogits.IsEmpty ? float.NegativeInfinity : TensorPrimitives.Max(filteredLogits);
        _steps.Add(new Step(kept, mask, max));
    }

    /// <summary>The normalizer of every step kept since the last call, in order; forgets them.</summary>
    public double[] Take()
    {
        var sums = SumExps([.. _steps]);
        var result = new double[_steps.Count];
        for (var i = 0; i < _steps.Count; i++)
        {
            var max = _steps[i].Max;
            result[i] = double.IsNegativeInfinity(max) ? double.NegativeInfinity : max + Math.Log(sums[i]);
        }

        foreach (var step in _steps)
        {
            _spare.Push((step.State, step.Mask));
        }

        _steps.Clear();
        return result;
    }

    /// <summary>Σ exp(logit − max) over each step's unmasked tokens, the vocabulary split across threads.</summary>
    private double[] SumExps(Step[] steps)
    {
        var sums = new double[steps.Length];
        if (steps.Length == 0)
        {
            return sums;
        }

        var width = embedding.Width;
        var states = steps.Select(step => step.State).ToArray();
        ThreadRanges.For(embedding.Vocabulary, threads, (_, first, end) =>
        {
            var partial = new double[steps.Length];
            var logits = steps.Select(_ => new float[EmbeddingRows.Block]).ToArray();
            embedding.ForEachBlock(first, end, (start, rows) =>
            {
                var count = rows.Length / width;
                BlockedDot.Compute(rows, width, states, logits);
                for (var s = 0; s < steps.Length; s++)
                {
                    var step = steps[s];
                    var values = logits[s].AsSpan(0, count);
                    TensorPrimitives.Subtract(values, step.Max, values);
                    for (var k = 0; k < count; k++)
                    {
                        var token = start + k;
                        if ((step.Mask[token >> 6] & (1UL << (token & 63))) != 0)
                        {
                            values[k] = float.NegativeInfinity;
                        }
                    }

                    TensorPrimitives.Exp(values, values);
                    partial[s] += TensorPrimitives.Sum<float>(values);
                }
            });

            lock (sums)
            {
                TensorPrimitives.Add(sums, partial, sums);
            }
        });
        return sums;
    }

    /// <param name="State">The final layer norm's output.</param>
    /// <param name="Mask">One bit per masked token.</param>
    /// <param name="Max">The largest unmasked logit (exact).</param>
    private sealed record Step(float[] State, ulong[] Mask, float Max);
}
