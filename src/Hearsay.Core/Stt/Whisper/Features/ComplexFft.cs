namespace Hearsay.Core.Stt.Whisper.Features;

/// <summary>
/// In-place forward DFT of a complex sequence of length 2^a·5^b, in double precision: an iterative Stockham
/// (autosort) decimation in frequency with hard-coded radix-4, -2 and -5 butterflies. Stockham needs no bit-reversal
/// pass, and per stage it only reads its precomputed twiddles: no trigonometry, recursion or modulo per sample.
/// </summary>
internal sealed class ComplexFft
{
    private static readonly double Cos1 = Math.Cos(2 * Math.PI / 5);
    private static readonly double Cos2 = Math.Cos(4 * Math.PI / 5);
    private static readonly double Sin1 = Math.Sin(2 * Math.PI / 5);
    private static readonly double Sin2 = Math.Sin(4 * Math.PI / 5);

    private readonly Stage[] _stages;
    private readonly double[] _workRe;
    private readonly double[] _workIm;

    /// <summary>Prepares the transform; not thread-safe (it owns its work buffers).</summary>
    public ComplexFft(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        Length = length;
        var stages = new List<Stage>();
        var stride = 1;
        var remaining = length;
        foreach (var radix in Factor(length))
        {
            stages.Add(new Stage(radix, remaining, stride));
            remaining /= radix;
            stride *= radix;
        }

        _stages = [.. stages];
        _workRe = new double[length];
        _workIm = new double[length];
    }

    public int Length { get; }

    /// <summary>Replaces (<paramref name="re"/>, <paramref name="im"/>) with their DFT, X[k] = Σ x[n]·e^(−2πi·kn/N).</summary>
    public void Forward(double[] re, double[] im)
    {
        if (re.Length != Length || im.Length != Length)
        {
            throw new ArgumentException($"Expected {Length} real and {Length} imaginary parts.");
        }

        var (fromRe, fromIm, toRe, toIm) = (re, im, _workRe, _workIm);
        foreach (var stage in _stages)
        {
            stage.Run(fromRe, fromIm, toRe, toIm);
            (fromRe, fromIm, toRe, toIm) = (toRe, toIm, fromRe, fromIm);
        }

        if (!ReferenceEquals(fromRe, re))
        {
            fromRe.CopyTo(re, 0);
            fromIm.CopyTo(im, 0);
        }
    }

    private static int[] Factor(int n)
    {
        var factors = new List<int>();
        foreach (var radix in new[] { 4, 2, 5 })
        {
            while (n % radix == 0)
            {
                factors.Add(radix);
                n /= radix;
            }
        }

        return n == 1 ? [.. factors] : throw new ArgumentOutOfRangeException(nameof(n), "Only lengths 2^a·5^b are supported.");
    }

    /// <summary>
    /// One decimation-in-frequency stage: <see cref="_stride"/> interleaved sub-transforms of length n each split into
    /// <see cref="_radix"/> transforms of length n/radix. Element q + m·j of sub-transform p0 is read from
    /// p0 + s·(q + m·j); output r of its butterfly, times w_n^(q·r), goes to p0 + s·(r + radix·q), which is where the
    /// next stage's sub-transform p0 + s·r expects its element q. After the last stage X[k] sits at index k.
    /// </summary>
    private sealed class Stage
    {
        private readonly int _radix;
        private readonly int _stride;
        private readonly int _m;

        // w_n^(q·r) for r = 1 … radix−1, at [q·(radix−1) + r − 1].
        private readonly double[] _twiddleRe;
        private readonly double[] _twiddleIm;

        public Stage(int radix, int length, int stride)
        {
            _radix = radix;
            _stride = stride;
            _m = length / radix;
            _twiddleRe = new double[_m * (radix - 1)];
            _twiddleIm = new double[_m * (radix - 1)];
            for (var q = 0; q < _m; q++)
            {
                for (var r = 1; r < radix; r++)
                {
                    var angle = -2 * Math.PI * q * r / length;
                    _twiddleRe[(q * (radix - 1)) + r - 1] = Math.Cos(angle);
                    _twiddleIm[(q * (radix - 1)) + r - 1] = Math.Sin(angle);
                }
            }
        }

        public void Run(double[] xRe, double[] xIm, double[] yRe, double[] yIm)
        {
            switch (_radix)
            {
                case 2:
                    Radix2(xRe, xIm, yRe, yIm);
                    break;
                case 4:
                    Radix4(xRe, xIm, yRe, yIm);
                    break;
                default:
                    Radix5(xRe, xIm, yRe, yIm);
                    break;
            }
        }

        private void Radix2(double[] xRe, double[] xIm, double[] yRe, double[] yIm)
        {
            var (s, m) = (_stride, _m);
            for (var q = 0; q < m; q++)
            {
                var (wr, wi) = (_twiddleRe[q], _twiddleIm[q]);
                for (var p0 = 0; p0 < s; p0++)
                {
                    var i0 = p0 + (s * q);
                    var i1 = i0 + (s * m);
                    var o0 = p0 + (s * 2 * q);
                    var (dr, di) = (xRe[i0] - xRe[i1], xIm[i0] - xIm[i1]);
                    yRe[o0] = xRe[i0] + xRe[i1];
                    yIm[o0] = xIm[i0] + xIm[i1];
                    yRe[o0 + s] = (dr * wr) - (di * wi);
                    yIm[o0 + s] = (dr * wi) + (di * wr);
                }
            }
        }

        private void Radix4(double[] xRe, double[] xIm, double[] yRe, double[] yIm)
        {
            var (s, m) = (_stride, _m);
            for (var q = 0; q < m; q++)
            {
                var t = 3 * q;
                var (w1r, w1i, w2r, w2i, w3r, w3i) =
                    (_twiddleRe[t], _twiddleIm[t], _twiddleRe[t + 1], _twiddleIm[t + 1], _twiddleRe[t + 2], _twiddleIm[t + 2]);
                for (var p0 = 0; p0 < s; p0++)
                {
                    var i0 = p0 + (s * q);
                    var (i1, i2, i3) = (i0 + (s * m), i0 + (2 * s * m), i0 + (3 * s * m));
                    var (sum02r, sum02i) = (xRe[i0] + xRe[i2], xIm[i0] + xIm[i2]);
                    var (dif02r, dif02i) = (xRe[i0] - xRe[i2], xIm[i0] - xIm[i2]);
                    var (sum13r, sum13i) = (xRe[i1] + xRe[i3], xIm[i1] + xIm[i3]);
                    var (dif13r, dif13i) = (xRe[i1] - xRe[i3], xIm[i1] - xIm[i3]);

                    // W_4 = −i: outputs 1 and 3 turn the odd difference by ∓90°.
                    var (b1r, b1i) = (dif02r + dif13i, dif02i - dif13r);
                    var (b2r, b2i) = (sum02r - sum13r, sum02i - sum13i);
                    var (b3r, b3i) = (dif02r - dif13i, dif02i + dif13r);

                    var o0 = p0 + (s * 4 * q);
                    yRe[o0] = sum02r + sum13r;
                    yIm[o0] = sum02i + sum13i;
                    yRe[o0 + s] = (b1r * w1r) - (b1i * w1i);
                    yIm[o0 + s] = (b1r * w1i) + (b1i * w1r);
                    yRe[o0 + (2 * s)] = (b2r * w2r) - (b2i * w2i);
                    yIm[o0 + (2 * s)] = (b2r * w2i) + (b2i * w2r);
                    yRe[o0 + (3 * s)] = (b3r * w3r) - (b3i * w3i);
                    yIm[o0 + (3 * s)] = (b3r * w3i) + (b3i * w3r);
                }
            }
        }

        private void Radix5(double[] xRe, double[] xIm, double[] yRe, double[] yIm)
        {
            var (s, m) = (_stride, _m);
            var step = s * m;
            for (var q = 0; q < m; q++)
            {
                var t = 4 * q;
                for (var p0 = 0; p0 < s; p0++)
                {
                    var i0 = p0 + (s * q);
                    var (a0r, a0i) = (xRe[i0], xIm[i0]);
                    var (sum14r, sum14i) = (xRe[i0 + step] + xRe[i0 + (4 * step)], xIm[i0 + step] + xIm[i0 + (4 * step)]);
                    var (dif14r, dif14i) = (xRe[i0 + step] - xRe[i0 + (4 * step)], xIm[i0 + step] - xIm[i0 + (4 * step)]);
                    var (sum23r, sum23i) = (xRe[i0 + (2 * step)] + xRe[i0 + (3 * step)], xIm[i0 + (2 * step)] + xIm[i0 + (3 * step)]);
                    var (dif23r, dif23i) = (xRe[i0 + (2 * step)] - xRe[i0 + (3 * step)], xIm[i0 + (2 * step)] - xIm[i0 + (3 * step)]);

                    // Outputs 1/4 and 2/3 share a real part and differ by the sign of an imaginary rotation.
                    var (near14r, near14i) = (a0r + (Cos1 * sum14r) + (Cos2 * sum23r), a0i + (Cos1 * sum14i) + (Cos2 * sum23i));
                    var (near23r, near23i) = (a0r + (Cos2 * sum14r) + (Cos1 * sum23r), a0i + (Cos2 * sum14i) + (Cos1 * sum23i));
                    var (turn14r, turn14i) = ((Sin1 * dif14r) + (Sin2 * dif23r), (Sin1 * dif14i) + (Sin2 * dif23i));
                    var (turn23r, turn23i) = ((Sin2 * dif14r) - (Sin1 * dif23r), (Sin2 * dif14i) - (Sin1 * dif23i));

                    // b − i·z = (b.re + z.im, b.im − z.re); b + i·z = (b.re − z.im, b.im + z.re).
                    var o0 = p0 + (s * 5 * q);
                    yRe[o0] = a0r + sum14r + sum23r;
                    yIm[o0] = a0i + sum14i + sum23i;
                    Store(yRe, yIm, o0 + s, near14r + turn14i, near14i - turn14r, t);
                    Store(yRe, yIm, o0 + (2 * s), near23r + turn23i, near23i - turn23r, t + 1);
                    Store(yRe, yIm, o0 + (3 * s), near23r - turn23i, near23i + turn23r, t + 2);
                    Store(yRe, yIm, o0 + (4 * s), near14r - turn14i, near14i + turn14r, t + 3);
                }
            }
        }

        private void Store(double[] yRe, double[] yIm, int index, double re, double im, int twiddle)
        {
            var (wr, wi) = (_twiddleRe[twiddle], _twiddleIm[twiddle]);
            yRe[index] = (re * wr) - (im * wi);
            yIm[index] = (re * wi) + (im * wr);
        }
    }
}
