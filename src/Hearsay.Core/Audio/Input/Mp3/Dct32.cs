namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>
/// A 32-point DCT-II, X[m] = Σ x[k] cos((2k + 1)mπ/64), by Lee's recursive split: the even outputs are the half-size DCT
/// of x[k] + x[N−1−k], the odd ones sums of neighbours in the half-size DCT of (x[k] − x[N−1−k]) / (2cos((2k + 1)π/2N)).
/// About 80 multiplications instead of 1024.
/// </summary>
internal static class Dct32
{
    // 1 / (2cos((2k + 1)π / 2N)) for each size N = 2 to 32, at [N/2, N).
    private static readonly float[] Factors = BuildFactors();

    /// <summary>Transforms <paramref name="x"/> (32) in place; <paramref name="scratch"/> is 32 floats of work space.</summary>
    public static void Transform(Span<float> x, Span<float> scratch) => Split(x, scratch);

    private static void Split(Span<float> x, Span<float> scratch)
    {
        var n = x.Length;
        if (n == 1)
        {
            return;
        }

        var half = n / 2;
        var factors = Factors.AsSpan(half, half);
        for (var k = 0; k < half; k++)
        {
            var a = x[k];
            var b = x[n - 1 - k];
            scratch[k] = a + b;
            scratch[half + k] = (a - b) * factors[k];
        }

        // The halves are transformed in scratch, with x as their work space, then interleaved back into x.
        Split(scratch[..half], x[..half]);
        Split(scratch.Slice(half, half), x.Slice(half, half));
        for (var m = 0; m < half; m++)
        {
            x[2 * m] = scratch[m];
            x[(2 * m) + 1] = m + 1 < half ? scratch[half + m] + scratch[half + m + 1] : scratch[half + m];
        }
    }

    private static float[] BuildFactors()
    {
        var factors = new float[32];
        for (var n = 2; n <= 32; n *= 2)
        {
            for (var k = 0; k < n / 2; k++)
            {
                factors[(n / 2) + k] = (float)(1 / (2 * Math.Cos((2 * k + 1) * Math.PI / (2 * n))));
            }
        }

        return factors;
    }
}
