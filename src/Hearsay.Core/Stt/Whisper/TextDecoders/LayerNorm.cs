using System.Numerics.Tensors;

namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>Layer normalization over the last axis, with learned scale and shift.</summary>
internal sealed class LayerNorm(float[] scale, float[] shift, float epsilon)
{
    public int Size => scale.Length;

    /// <summary>Normalizes each of the <paramref name="rows"/> rows of <paramref name="input"/> into <paramref name="output"/>.</summary>
    public void Apply(ReadOnlySpan<float> input, Span<float> output, int rows)
    {
        var size = scale.Length;
        for (var row = 0; row < rows; row++)
        {
            var x = input.Slice(row * size, size);
            var y = output.Slice(row * size, size);
            var mean = TensorPrimitives.Sum(x) / size;
            TensorPrimitives.Subtract(x, mean, y);
            var variance = TensorPrimitives.SumOfSquares(y) / size;
            var inverse = 1f / MathF.Sqrt(variance + epsilon);
            TensorPrimitives.Multiply(y, inverse, y);
            TensorPrimitives.FusedMultiplyAdd(y, scale, shift, y);
        }
    }
}
