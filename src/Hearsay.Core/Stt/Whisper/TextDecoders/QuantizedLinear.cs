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

    protected override void Compute(object prepared, float[] output, int rows, int start, int end)
    {
        var input = (QuantizedInput)prepared;
        for (var j = start; j < end; j++)
        {
            var w = weights.AsSpan(j * Inputs, Inputs);
            var scale = input.Scale * weightScales[weightScales.Length == 1 ? 0 : j];
            var b = Bias?[j] ?? 0f;
            for (var row = 0; row < rows; row++)
            {
                var x = input.Values.AsSpan(row * Inputs, Inputs);
                var sum = IntegerDot.Of(x, w);
                if (weightZeroPoint != 0)
                {
                    sum -= weightZeroPoint * input.RowSums[row];
                }

                output[(row * Outputs) + j] = (sum * scale) + b;
            }
        }
    }

    /// <summary>The input as DynamicQuantizeLinear makes it, with its zero point already subtracted, and each row's sum.</summary>
    private sealed record QuantizedInput(short[] Values, float Scale, int[] RowSums)
    {
        public static QuantizedInput Of(ReadOnlySpan<float> input, int rows)
        {
            // ONNX's DynamicQuantizeLinear: the range always holds 0; uint8 with a rounded zero point; x / scale is
            // rounded half to even, as ONNX Runtime's kernels do, so results match its MatMulInteger exactly.
            var min = 0f;
            var max = 0f;
            foreach (var value in input)
            {
                min = Math.Min(min, value);
                max = Math.Max(max, value);
            }

            var scale = max == min ? 1f : (max - min) / 255f;
            var zeroPoint = MathF.Round(Math.Clamp(0f - (min / scale), 0f, 255f), MidpointRounding.ToEven);
            var values = new short[input.Length];
            var rowSums = new int[rows];
            var width = input.Length / rows;
            for (var i = 0; i < input.Length; i++)
            {
                var q = Math.Clamp(MathF.Round(input[i] / scale, MidpointRounding.ToEven) + zeroPoint, 0f, 255f);
                values[i] = (short)(q - zeroPoint);
                rowSums[i / width] += values[i];
            }

            return new QuantizedInput(values, scale, rowSums);
        }
    }
}
