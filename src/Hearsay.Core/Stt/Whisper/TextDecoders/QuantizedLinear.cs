using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>
/// An int8 <see cref="Linear"/> computed as ONNX Runtime computes a dynamically quantized MatMul
/// (DynamicQuantizeLinear, MatMulInteger, then the two scales): the input is quantized to uint8 over the whole batch,
/// products are summed exactly in integers, and the sum is scaled once. <c>weights</c> is [outputs, inputs].
/// </summary>
internal sealed class QuantizedLinear(
    sbyte[] weights, float[] weightScales, sbyte weightZeroPoint, int inputs, int outputs, float[]? bias, int threads)
    : Linear(inputs, outputs, bias, threads)
{
    protected override object Prepare(float[] input, int rows) => QuantizedInput.Of(input.AsSpan(0, rows * Inputs), rows);

    // A step quantizes the input of some thirty layers: rented, they were most of what an int8 transcription allocated.
    protected override void Release(object prepared) => ((QuantizedInput)prepared).Return();

    /// <remarks>Integer sums are exact in any order, so a batch always runs in <see cref="IntegerDot"/>'s register blocks.</remarks>
    protected override void Compute(object prepared, float[] output, int rows, int start, int end, bool anySumOrder)
    {
        var input = (QuantizedInput)prepared;
        Span<int> sums = stackalloc int[IntegerDot.BlockOutputs * IntegerDot.BlockRows];
        var j = start;
        for (; rows >= IntegerDot.BlockRows && j + IntegerDot.BlockOutputs <= end; j += IntegerDot.BlockOutputs)
        {
            var row = 0;
            for (; row + IntegerDot.BlockRows <= rows && IntegerDot.Block(input.Values, row, weights, j, Inputs, sums); row += IntegerDot.BlockRows)
            {
                for (var o = 0; o < IntegerDot.BlockOutputs; o++)
                {
                    WriteRows(input, output, row, j + o, sums.Slice(o * IntegerDot.BlockRows, IntegerDot.BlockRows));
                }
            }

            for (var o = j; o < j + IntegerDot.BlockOutputs; o++)
            {
                ComputeRows(input, output, o, row, rows);
            }
        }

        for (; j < end; j++)
        {
            ComputeRows(input, output, j, 0, rows);
        }
    }

    /// <summary>Output <paramref name="j"/> of rows <paramref name="first"/> to <paramref name="end"/>, one dot product each.</summary>
    private void ComputeRows(QuantizedInput input, float[] output, int j, int first, int end)
    {
        var w = weights.AsSpan(j * Inputs, Inputs);
        for (var row = first; row < end; row++)
        {
            Write(input, output, row, j, IntegerDot.Of(input.Values.AsSpan(row * Inputs, Inputs), w));
        }
    }

    /// <summary>Output <paramref name="j"/> of row <paramref name="row"/> from its integer sum: the zero point taken off, scaled, biased.</summary>
    private void Write(QuantizedInput input, float[] output, int row, int j, int sum) => WriteRows(input, output, row, j, [sum]);

    /// <summary><see cref="Write"/> for rows <paramref name="first"/> onwards, one per sum: the output's scale and bias looked up once.</summary>
    private void WriteRows(QuantizedInput input, float[] output, int first, int j, ReadOnlySpan<int> sums)
    {
        var scale = input.Scale * weightScales[weightScales.Length == 1 ? 0 : j];
        var bias = Bias?[j] ?? 0f;
        for (var r = 0; r < sums.Length; r++)
        {
            var sum = sums[r];
            if (weightZeroPoint != 0)
            {
                sum -= weightZeroPoint * input.RowSums[first + r];
            }

            output[((first + r) * Outputs) + j] = (sum * scale) + bias;
        }
    }

    /// <summary>
    /// The input as DynamicQuantizeLinear makes it, with its zero point already subtracted, and each row's sum, in
    /// arrays rented from the shared pools (longer than needed: every use takes its row's slice).
    /// </summary>
    private sealed record QuantizedInput(short[] Values, float Scale, int[] RowSums)
    {
        public void Return()
        {
            ArrayPool<short>.Shared.Return(Values);
            ArrayPool<int>.Shared.Return(RowSums);
        }

        public static QuantizedInput Of(ReadOnlySpan<float> input, int rows)
        {
            // ONNX's DynamicQuantizeLinear: the range always holds 0; uint8 with a rounded zero point; x / scale is
            // rounded half to even, as ONNX Runtime's kernels do, so results match its MatMulInteger exactly.
            var min = Math.Min(0f, TensorPrimitives.Min(input));
            var max = Math.Max(0f, TensorPrimitives.Max(input));
            var scale = max == min ? 1f : (max - min) / 255f;
            var zeroPoint = MathF.Round(Math.Clamp(0f - (min / scale), 0f, 255f), MidpointRounding.ToEven);
            var values = ArrayPool<short>.Shared.Rent(input.Length);
            var rowSums = ArrayPool<int>.Shared.Rent(rows);
            var width = input.Length / rows;
            for (var row = 0; row < rows; row++)
            {
                rowSums[row] = Quantize(input.Slice(row * width, width), scale, zeroPoint, values.AsSpan(row * width, width));
            }

            return new QuantizedInput(values, scale, rowSums);
        }

        /// <summary>
        /// One row quantized into <paramref name="values"/>, its zero point subtracted; returns their sum. Sixteen at a
        /// time where the vectors allow (the same divisions and roundings, so the same values), else one by one.
        /// </summary>
        private static int Quantize(ReadOnlySpan<float> row, float scale, float zeroPoint, Span<short> values)
        {
            var sum = 0;
            var i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                var sums = Vector256<int>.Zero;
                for (; i + (2 * Vector256<float>.Count) <= row.Length; i += 2 * Vector256<float>.Count)
                {
                    var low = Level(Vector256.Create(row.Slice(i, Vector256<float>.Count)), scale, zeroPoint);
                    var high = Level(Vector256.Create(row.Slice(i + Vector256<float>.Count, Vector256<float>.Count)), scale, zeroPoint);
                    sums += low + high;
                    Vector256.Narrow(low, high).CopyTo(values.Slice(i, 2 * Vector256<float>.Count));
                }

                sum = Vector256.Sum(sums);
            }

            for (; i < row.Length; i++)
            {
                var q = Math.Clamp(MathF.Round(row[i] / scale, MidpointRounding.ToEven) + zeroPoint, 0f, 255f);
                values[i] = (short)(q - zeroPoint);
                sum += values[i];
            }

            return sum;
        }

        private static Vector256<int> Level(Vector256<float> x, float scale, float zeroPoint)
        {
            var q = Vector256.Round(x / Vector256.Create(scale)) + Vector256.Create(zeroPoint);
            q = Vector256.Min(Vector256.Max(q, Vector256<float>.Zero), Vector256.Create(255f));
            return Vector256.ConvertToInt32(q - Vector256.Create(zeroPoint));
        }
    }
}
