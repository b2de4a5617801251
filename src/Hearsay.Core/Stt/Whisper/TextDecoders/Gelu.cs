using System.Runtime.Intrinsics;

namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>The exact (erf) GELU Whisper's MLP uses.</summary>
internal static class Gelu
{
    private const double InverseSqrt2 = 0.7071067811865476;

    /// <summary>erf to within 1e-15 (Numerical Recipes' Chebyshev fit of erfc), far below float precision.</summary>
    private static ReadOnlySpan<double> Coefficients =>
    [
        -1.3026537197817094, 6.4196979235649026e-1, 1.9476473204185836e-2, -9.561514786808631e-3,
        -9.46595344482036e-4, 3.66839497852761e-4, 4.2523324806907e-5, -2.0278578112534e-5,
        -1.624290004647e-6, 1.303655835580e-6, 1.5626441722e-8, -8.5238095915e-8, 6.529054439e-9,
        5.059343495e-9, -9.91364156e-10, -2.27365122e-10, 9.6467911e-11, 2.394038e-12, -6.886027e-12,
        8.94487e-13, 3.13092e-13, -1.12708e-13, 3.81e-16, 7.106e-15, -1.523e-15, -9.4e-17, 1.21e-16, -2.8e-17,
    ];

    public static void Apply(Span<float> values)
    {
        // Four values at a time through the Chebyshev recurrence, the decoder's MLP having 1,536 to 5,120 per layer; the
        // operations are the scalar ones in the same order (no fused multiply-adds) and exp stays Math.Exp per value,
        // so each result is bit for bit the scalar one.
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<double>.Count <= values.Length; i += Vector256<double>.Count)
            {
                var x = Vector256.Create((double)values[i], values[i + 1], values[i + 2], values[i + 3]);
                var erf = Erf(x * InverseSqrt2);
                var result = 0.5 * x * (Vector256<double>.One + erf);
                for (var lane = 0; lane < Vector256<double>.Count; lane++)
                {
                    values[i + lane] = (float)result[lane];
                }
            }
        }

        for (; i < values.Length; i++)
        {
            var x = (double)values[i];
            values[i] = (float)(0.5 * x * (1.0 + Erf(x * InverseSqrt2)));
        }
    }

    private static double Erf(double x)
    {
        var z = Math.Abs(x);
        var t = 2.0 / (2.0 + z);
        var ty = (4.0 * t) - 2.0;
        double d = 0, dd = 0;
        for (var j = Coefficients.Length - 1; j > 0; j--)
        {
            var previous = d;
            d = (ty * d) - dd + Coefficients[j];
            dd = previous;
        }

        var erfc = t * Math.Exp((-z * z) + (0.5 * (Coefficients[0] + (ty * d))) - dd);
        return x >= 0 ? 1.0 - erfc : erfc - 1.0;
    }

    private static Vector256<double> Erf(Vector256<double> x)
    {
        var z = Vector256.Abs(x);
        var t = Vector256.Create(2.0) / (Vector256.Create(2.0) + z);
        var ty = (4.0 * t) - Vector256.Create(2.0);
        Vector256<double> d = default, dd = default;
        for (var j = Coefficients.Length - 1; j > 0; j--)
        {
            var previous = d;
            d = (ty * d) - dd + Vector256.Create(Coefficients[j]);
            dd = previous;
        }

        var exponent = (-z * z) + (0.5 * (Vector256.Create(Coefficients[0]) + (ty * d))) - dd;
        var exp = Vector256.Create(Math.Exp(exponent[0]), Math.Exp(exponent[1]), Math.Exp(exponent[2]), Math.Exp(exponent[3]));
        var erfc = t * exp;
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<double>.Zero), Vector256<double>.One - erfc, erfc - Vector256<double>.One);
    }
}
