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
        // Sixteen values at a time, as four vectors of four through the Chebyshev recurrence side by side: each
        // recurrence is a chain of dependent steps, so one alone waits on every step's latency. The operations are the
        // scalar ones in the same order (no fused multiply-adds) and exp stays Math.Exp per value, so each result is bit
        // for bit the scalar one.
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            const int Lanes = 4;
            Span<Vector256<double>> x = stackalloc Vector256<double>[Lanes];
            Span<Vector256<double>> erf = stackalloc Vector256<double>[Lanes];
            for (; i + (Lanes * Vector256<double>.Count) <= values.Length; i += Lanes * Vector256<double>.Count)
            {
                for (var v = 0; v < Lanes; v++)
                {
                    var at = i + (v * Vector256<double>.Count);
                    x[v] = Vector256.Create((double)values[at], values[at + 1], values[at + 2], values[at + 3]);
                }

                Erf(x, erf);
                for (var v = 0; v < Lanes; v++)
                {
                    var result = 0.5 * x[v] * (Vector256<double>.One + erf[v]);
                    for (var lane = 0; lane < Vector256<double>.Count; lane++)
                    {
                        values[i + (v * Vector256<double>.Count) + lane] = (float)result[lane];
                    }
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

    /// <summary>erf(x/√2) of four vectors, their recurrences interleaved.</summary>
    private static void Erf(ReadOnlySpan<Vector256<double>> values, Span<Vector256<double>> erf)
    {
        var x0 = values[0] * InverseSqrt2;
        var x1 = values[1] * InverseSqrt2;
        var x2 = values[2] * InverseSqrt2;
        var x3 = values[3] * InverseSqrt2;
        var two = Vector256.Create(2.0);
        var (t0, t1, t2, t3) = (two / (two + Vector256.Abs(x0)), two / (two + Vector256.Abs(x1)), two / (two + Vector256.Abs(x2)), two / (two + Vector256.Abs(x3)));
        var (ty0, ty1, ty2, ty3) = ((4.0 * t0) - two, (4.0 * t1) - two, (4.0 * t2) - two, (4.0 * t3) - two);
        Vector256<double> d0 = default, d1 = default, d2 = default, d3 = default;
        Vector256<double> dd0 = default, dd1 = default, dd2 = default, dd3 = default;
        for (var j = Coefficients.Length - 1; j > 0; j--)
        {
            var c = Vector256.Create(Coefficients[j]);
            (d0, dd0) = ((ty0 * d0) - dd0 + c, d0);
            (d1, dd1) = ((ty1 * d1) - dd1 + c, d1);
            (d2, dd2) = ((ty2 * d2) - dd2 + c, d2);
            (d3, dd3) = ((ty3 * d3) - dd3 + c, d3);
        }

        erf[0] = Finish(x0, t0, ty0, d0, dd0);
        erf[1] = Finish(x1, t1, ty1, d1, dd1);
        erf[2] = Finish(x2, t2, ty2, d2, dd2);
        erf[3] = Finish(x3, t3, ty3, d3, dd3);
    }

    /// <summary>erf from the recurrence's last two terms, as the scalar <see cref="Erf(double)"/> ends.</summary>
    private static Vector256<double> Finish(Vector256<double> x, Vector256<double> t, Vector256<double> ty, Vector256<double> d, Vector256<double> dd)
    {
        var z = Vector256.Abs(x);
        var exponent = (-z * z) + (0.5 * (Vector256.Create(Coefficients[0]) + (ty * d))) - dd;
        var exp = Vector256.Create(Math.Exp(exponent[0]), Math.Exp(exponent[1]), Math.Exp(exponent[2]), Math.Exp(exponent[3]));
        var erfc = t * exp;
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<double>.Zero), Vector256<double>.One - erfc, erfc - Vector256<double>.One);
    }
}
