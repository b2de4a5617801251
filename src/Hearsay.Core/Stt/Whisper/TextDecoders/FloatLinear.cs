using System.Numerics.Tensors;

namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>A float32 <see cref="Linear"/>; <c>weights</c> is [outputs, inputs].</summary>
internal sealed class FloatLinear(float[] weights, int inputs, int outputs, float[]? bias, int threads)
    : Linear(inputs, outputs, bias, threads)
{
    protected override object Prepare(float[] input, int rows) => input;

    protected override void Compute(object prepared, float[] output, int rows, int start, int end)
    {
        var input = (float[])prepared;
        for (var j = start; j < end; j++)
        {
            var w = weights.AsSpan(j * Inputs, Inputs);
            var b = Bias?[j] ?? 0f;
            for (var row = 0; row < rows; row++)
            {
                output[(row * Outputs) + j] = TensorPrimitives.Dot(w, input.AsSpan(row * Inputs, Inputs)) + b;
            }
        }
    }
}
