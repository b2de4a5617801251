using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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

    // AVX-VNNI multiplies unsigned by signed bytes: the state goes in as p + 128, and 128·Σq is taken off again.
    private const int Bias = 128;

    private readonly sbyte[] _rows;
    private readonly int[] _rowSums;
    private readonly float[] _scales;
    private readonly float[] _rowErrors;
    private readonly int _width;
    private readonly int _threads;
    private readonly bool _byteProducts;

    private LogitScreen(sbyte[] rows, int[] rowSums, float[] scales, float[] rowErrors, int width, int threads)
    {
        _rows = rows;
        _rowSums = rowSums;
        _scales = scales;
        _rowErrors = rowErrors;
        _width = width;
        _threads = Math.Max(1, threads);
        _byteProducts = AvxVnni.IsSupported && width % (2 * Vector256<byte>.Count) == 0;
    }

    public int Vocabulary => _scales.Length;

    /// <summary>Quantizes <paramref name="embedding"/> ([vocabulary, width]) symmetrically, row by row.</summary>
    public static LogitScreen Of(EmbeddingRows embedding, int threads)
    {
        var (vocabulary, width) = (embedding.Vocabulary, embedding.Width);
        var rows = new sbyte[vocabulary * width];
        var rowSums = new int[vocabulary];
        var scales = new float[vocabulary];
        var rowErrors = new float[vocabulary];
        ThreadRanges.For(vocabulary, threads, (_, start, end) =>
        {
            var quantized = new float[width];
            embedding.ForEachBlock(start, end, (first, block) =>
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
                    rowSums[token] = (int)TensorPrimitives.Sum<float>(quantized);
                    rowErrors[token] = RowTerm * scale * TensorPrimitives.SumOfMagnitudes<float>(quantized);
                }
            });
        });
        return new LogitScreen(rows, rowSums, scales, rowErrors, width, threads);
    }

    /// <summary>
    /// Writes every token's estimated logit for <paramref name="state"/> into <paramref name="estimates"/> and how far
    /// the float32 logit can be from it into <paramref name="errors"/>.
    /// </summary>
    public void Estimate(ReadOnlySpan<float> state, float[] estimates, float[] errors)
    {
        var stateScale = MaxAbs(state) / 127f;
        // Rented: one pair per step. The pools' arrays may be longer, so every use takes the first _width.
        var quantized = ArrayPool<short>.Shared.Rent(_width);
        var biased = ArrayPool<byte>.Shared.Rent(_width);
        var l1 = 0.0;
        for (var j = 0; j < _width; j++)
        {
            quantized[j] = stateScale == 0 ? (short)0 : (short)Math.Clamp(MathF.Round(state[j] / stateScale), -127f, 127f);
            biased[j] = (byte)(quantized[j] + Bias);
            l1 += Math.Abs(state[j]);
        }

        var stateL1 = (float)l1;
        ThreadRanges.For(Vocabulary, _threads, (_, start, end) =>
        {
            var x = quantized.AsSpan(0, _width);
            var xBiased = biased.AsSpan(0, _width);
            for (var token = start; token < end; token++)
            {
                var scale = _scales[token];
                var row = _rows.AsSpan(token * _width, _width);
                var dot = _byteProducts ? ByteProducts(xBiased, row) - (Bias * _rowSums[token]) : IntegerDot.Of(x, row);
                var estimate = scale * stateScale * dot;
                estimates[token] = estimate;
                errors[token] = (Slack * ((StateTerm * scale * stateL1) + (stateScale * _rowErrors[token]))) + (Rounding * MathF.Abs(estimate));
            }
        });
        ArrayPool<short>.Shared.Return(quantized);
        ArrayPool<byte>.Shared.Return(biased);
    }

    /// <summary>Σ x·w exactly, 32 byte products per instruction (AVX-VNNI), in two chains that run side by side.</summary>
    private static int ByteProducts(ReadOnlySpan<byte> x, ReadOnlySpan<sbyte> w)
    {
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ws = ref MemoryMarshal.GetReference(w);
        var (even, odd) = (Vector256<int>.Zero, Vector256<int>.Zero);
        for (nuint i = 0; i < (nuint)x.Length; i += (nuint)(2 * Vector256<byte>.Count))
        {
            even = AvxVnni.MultiplyWideningAndAdd(even, Vector256.LoadUnsafe(ref xs, i), Vector256.LoadUnsafe(ref ws, i));
            odd = AvxVnni.MultiplyWideningAndAdd(
                odd, Vector256.LoadUnsafe(ref xs, i + (nuint)Vector256<byte>.Count), Vector256.LoadUnsafe(ref ws, i + (nuint)Vector256<sbyte>.Count));
        }

        return Vector256.Sum(even + odd);
    }

    private static float MaxAbs(ReadOnlySpan<float> values) => values.IsEmpty ? 0f : MathF.Abs(TensorPrimitives.MaxMagnitude(values));
}
