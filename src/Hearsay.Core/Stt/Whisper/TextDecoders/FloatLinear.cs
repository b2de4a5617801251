using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>A float32 <see cref="Linear"/>; <c>weights</c> is [outputs, inputs].</summary>
internal sealed class FloatLinear(float[] weights, int inputs, int outputs, float[]? bias, int threads)
    : Linear(inputs, outputs, bias, threads)
{
    protected override object Prepare(float[] input, int rows) => input;

    protected override void Compute(object prepared, float[] output, int rows, int start, int end, bool anySumOrder)
    {
        var input = (float[])prepared;
        var j = start;
        if (anySumOrder && rows >= 4 && Vector256.IsHardwareAccelerated)
        {
            // Two outputs of four rows at once (BlockedDot's kernel): each weight load feeds four multiply-adds and each
            // input load two, so a batch runs near the FMA units' rate instead of the loads'.
            Span<float> sums = stackalloc float[8];
            for (; j + 2 <= end; j += 2)
            {
                var row = 0;
                for (; row + 4 <= rows; row += 4)
                {
                    BlockedDot.TwoRowsFourVectors(
                        weights.AsSpan(j * Inputs, 2 * Inputs), Inputs, Row(input, row), Row(input, row + 1), Row(input, row + 2), Row(input, row + 3), sums);
                    for (var r = 0; r < 4; r++)
                    {
                        output[((row + r) * Outputs) + j] = sums[r] + (Bias?[j] ?? 0f);
                        output[((row + r) * Outputs) + j + 1] = sums[4 + r] + (Bias?[j + 1] ?? 0f);
                    }
                }

                ComputeRows(input, output, j, row, rows);
                ComputeRows(input, output, j + 1, row, rows);
            }
        }

        for (; j < end; j++)
        {
            ComputeRows(input, output, j, 0, rows);
        }
    }

    private ReadOnlySpan<float> Row(float[] input, int row) => input.AsSpan(row * Inputs, Inputs);

    /// <summary>Output <paramref name="j"/> of rows <paramref name="first"/> to <paramref name="end"/>, one dot product each.</summary>
    private void ComputeRows(float[] input, float[] output, int j, int first, int end)
    {
        var w = weights.AsSpan(j * Inputs, Inputs);
        var b = Bias?[j] ?? 0f;
        for (var row = first; row < end; row++)
        {
            output[(row * Outputs) + j] = TensorPrimitives.Dot(w, input.AsSpan(row * Inputs, Inputs)) + b;
        }
    }
}
