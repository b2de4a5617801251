using System.Numerics.Tensors;

namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>
/// An int8 copy of the token embedding (one scale per row) that estimates every logit from a quarter of the bytes
/// the float32 table takes, each estimate with a proven bound on its distance from the float32 logit. Reading the
/// vocabulary is most of a decoder step, so the step estimates, and only the logits that can change a decision are
/// then computed from the float32 rows (by the decoding rules, <c>DecodingRules/LogitRefinement</c>).
/// </summary>
internal sealed class LogitScreen
{
    // The bound, for row e = s·q + r (|r| ≤ s/2) and state h = t·p + u (|u| ≤ t/2):
    //   |e·h − s·t·(q·p)| ≤ |r·h| + s·|q·u| ≤ s/2·‖h‖₁ + s·t/2·‖q‖₁.
    // The float32 logit the estimate stands in for has its own rounding, at most d·2⁻²⁴·Σ|e·h| ≤ 0.01·s·‖h‖₁ for
    // d ≤ 1,280 (|e| ≤ 127.5·s), and the estimate's float products add a few units in the last place.
    private const float StateTerm = 0.51f;
    private const float RowTerm = 0.5f;
    private const float Rounding = 1e-6f;
    private const float Slack = 1.0001f;

    private readonly sbyte[] _rows;
    private readonly float[] _scales;
    private readonly float[] _rowErrors;
    private readonly int _width;
    private readonly int _threads;

    private LogitScreen(sbyte[] rows, float[] scales, float[] rowErrors, int width, int threads)
    {
        _rows = rows;
        _scales = scales;
        _rowErrors = rowErrors;
        _width = width;
        _threads = Math.Max(1, threads);
    }

    public int Vocabulary => _scales.Length;

    /// <summary>Quantizes <paramref name="embedding"/> ([vocabulary, width]) symmetrically, row by row.</summary>
    public static LogitScreen Of(EmbeddingRows embedding, int threads)
    {
        var (vocabulary, width) = (embedding.Vocabulary, embedding.Width);
        var rows = new sbyte[vocabulary * width];
        var scales = new float[vocabulary];
        var rowErrors = new float[vocabulary];
        var parts = Math.Max(1, threads);
        var chunk = (vocabulary + parts - 1) / parts;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            var quantized = new float[width];
            embedding.ForEachBlock(part * chunk, Math.Min(vocabulary, (part + 1) * chunk), (first, block) =>
            {
                for (var r = 0; r < block.Length / width; r++)
                {
                    // Vectorized, with the same IEEE division and round-half-to-even as q = round(e / s) element by
                    // element: building the screen is most of a model's load.
                    var token = first + r;
                    var row = block.Slice(r * width, width);
                    var scale = MaxAbs(row) / 127f;
                    if (scale == 0)
                    {
                        Array.Clear(quantized);
                    }
                    else
                    {
                        TensorPrimitives.Divide(row, scale, quantized);
                        TensorPrimitives.Round(quantized, quantized);
                        TensorPrimitives.Clamp(quantized, -127f, 127f, quantized);
                    }

                    TensorPrimitives.ConvertTruncating<float, sbyte>(quantized, rows.AsSpan(token * width, width));
                    scales[token] = scale;
                    rowErrors[token] = RowTerm * scale * TensorPrimitives.SumOfMagnitudes<float>(quantized);
                }
            });
        });
        return new LogitScreen(rows, scales, rowErrors, width, threads);
    }

    /// <summary>
    /// Writes every token's estimated logit for <paramref name="state"/> into <paramref name="estimates"/> and how far
    /// the float32 logit can be from it into <paramref name="errors"/>.
    /// </summary>
    public void Estimate(ReadOnlySpan<float> state, float[] estimates, float[] errors)
    {
        var stateScale = MaxAbs(state) / 127f;
        var quantized = new short[_width];
        var l1 = 0.0;
        for (var j = 0; j < _width; j++)
        {
            quantized[j] = stateScale == 0 ? (short)0 : (short)Math.Clamp(MathF.Round(state[j] / stateScale), -127f, 127f);
            l1 += Math.Abs(state[j]);
        }

        var stateL1 = (float)l1;
        var chunk = (Vocabulary + _threads - 1) / _threads;
        Parallel.For(0, _threads, new ParallelOptions { MaxDegreeOfParallelism = _threads }, part =>
        {
            var end = Math.Min(Vocabulary, (part + 1) * chunk);
            for (var token = part * chunk; token < end; token++)
            {
                var scale = _scales[token];
                var estimate = scale * stateScale * IntegerDot.Of(quantized, _rows.AsSpan(token * _width, _width));
                estimates[token] = estimate;
                errors[token] = (Slack * ((StateTerm * scale * stateL1) + (stateScale * _rowErrors[token]))) + (Rounding * MathF.Abs(estimate));
            }
        });
    }

    private static float MaxAbs(ReadOnlySpan<float> values) => values.IsEmpty ? 0f : MathF.Abs(TensorPrimitives.MaxMagnitude(values));
}
