namespace Hearsay.Core.Stt.Whisper.Features;

/// <summary>
/// Power spectrum of a real frame of even length N, via one complex FFT of length N/2 (the classic packing trick:
/// even samples as real parts, odd samples as imaginary parts). The complex FFT is mixed-radix, because Whisper's
/// N = 400 is not a power of two (N/2 = 200 = 2·4·5·5). Everything is in double precision.
/// </summary>
internal sealed class RealFft
{
    private readonly int _size;
    private readonly int _half;
    private readonly Level[] _levels;
    private readonly double[] _cos;
    private readonly double[] _sin;
    private readonly double[] _re;
    private readonly double[] _im;
    private readonly double[] _scratchRe;
    private readonly double[] _scratchIm;

    /// <summary>Prepares the transform; not thread-safe (it owns its work buffers).</summary>
    public RealFft(int size)
    {
        if (size < 2 || size % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The size must be even.");
        }

        _size = size;
        _half = size / 2;
        _levels = CreateLevels(_half);
        // Twiddles of the full size N, for the final split into the real spectrum.
        _cos = new double[size];
        _sin = new double[size];
        for (var k = 0; k < size; k++)
        {
            var angle = -2 * Math.PI * k / size;
            _cos[k] = Math.Cos(angle);
            _sin[k] = Math.Sin(angle);
        }

        _re = new double[_half];
        _im = new double[_half];
        _scratchRe = new double[_half];
        _scratchIm = new double[_half];
    }

    /// <summary>Writes |X[k]|² for k = 0 … N/2 of the real <paramref name="frame"/>.</summary>
    public void PowerSpectrum(ReadOnlySpan<double> frame, Span<double> power)
    {
        if (frame.Length != _size || power.Length != _half + 1)
        {
            throw new ArgumentException($"Expected a frame of {_size} and a spectrum of {_half + 1}.");
        }

        for (var n = 0; n < _half; n++)
        {
            _scratchRe[n] = frame[2 * n];
            _scratchIm[n] = frame[(2 * n) + 1];
        }

        Transform(_scratchRe, _scratchIm, 0, 1, _half, _re, _im, 0, 0);

        for (var k = 0; k <= _half; k++)
        {
            // Z[k] and conj(Z[M-k]) give the spectra of the even and odd samples; combine with the twiddle W_N^k.
            var zr = _re[k % _half];
            var zi = _im[k % _half];
            var cr = _re[(_half - k) % _half];
            var ci = -_im[(_half - k) % _half];
            var evenRe = 0.5 * (zr + cr);
            var evenIm = 0.5 * (zi + ci);
            var oddRe = 0.5 * (zi - ci);
            var oddIm = -0.5 * (zr - cr);
            var wr = _cos[k];
            var wi = _sin[k];
            var xr = evenRe + (wr * oddRe) - (wi * oddIm);
            var xi = evenIm + (wr * oddIm) + (wi * oddRe);
            power[k] = (xr * xr) + (xi * xi);
        }
    }

    /// <summary>
    /// Recursive decimation-in-time DFT of the inputs at <paramref name="inOffset"/> + j·stride, written contiguously at
    /// <paramref name="outOffset"/>. Every twiddle comes from a per-level table: no trigonometry or modulo per sample.
    /// </summary>
    private void Transform(
        double[] inRe, double[] inIm, int inOffset, int stride, int n, double[] outRe, double[] outIm, int outOffset, int level)
    {
        if (n == 1)
        {
            outRe[outOffset] = inRe[inOffset];
            outIm[outOffset] = inIm[inOffset];
            return;
        }

        var plan = _levels[level];
        var radix = plan.Radix;
        var m = n / radix;
        for (var q = 0; q < radix; q++)
        {
            Transform(inRe, inIm, inOffset + (q * stride), stride * radix, m, outRe, outIm, outOffset + (q * m), level + 1);
        }

        Span<double> tRe = stackalloc double[radix];
        Span<double> tIm = stackalloc double[radix];
        for (var k = 0; k < m; k++)
        {
            for (var q = 0; q < radix; q++)
            {
                var index = outOffset + (q * m) + k;
                var w = (q * m) + k;
                var re = outRe[index];
                var im = outIm[index];
                tRe[q] = (re * plan.TwiddleRe[w]) - (im * plan.TwiddleIm[w]);
                tIm[q] = (re * plan.TwiddleIm[w]) + (im * plan.TwiddleRe[w]);
            }

            for (var r = 0; r < radix; r++)
            {
                double sumRe = 0, sumIm = 0;
                for (var q = 0; q < radix; q++)
                {
                    var w = (r * radix) + q;
                    sumRe += (tRe[q] * plan.DftRe[w]) - (tIm[q] * plan.DftIm[w]);
                    sumIm += (tRe[q] * plan.DftIm[w]) + (tIm[q] * plan.DftRe[w]);
                }

                outRe[outOffset + k + (r * m)] = sumRe;
                outIm[outOffset + k + (r * m)] = sumIm;
            }
        }
    }

    private static Level[] CreateLevels(int n)
    {
        var levels = new List<Level>();
        foreach (var radix in Factor(n))
        {
            levels.Add(new Level(n, radix));
            n /= radix;
        }

        return [.. levels];
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

        return n == 1 ? [.. factors] : throw new ArgumentOutOfRangeException(nameof(n), "Only sizes 2·2^a·5^b are supported.");
    }

    /// <summary>One level of the recursion: a sub-transform of size n split by <see cref="Radix"/>.</summary>
    private sealed class Level
    {
        public Level(int n, int radix)
        {
            Radix = radix;
            var m = n / radix;
            // W_n^(q·k) for the q-th sub-transform's k-th output, and the radix-point DFT matrix W_radix^(r·q).
            TwiddleRe = new double[n];
            TwiddleIm = new double[n];
            for (var q = 0; q < radix; q++)
            {
                for (var k = 0; k < m; k++)
                {
                    var angle = -2 * Math.PI * q * k / n;
                    TwiddleRe[(q * m) + k] = Math.Cos(angle);
                    TwiddleIm[(q * m) + k] = Math.Sin(angle);
                }
            }

            DftRe = new double[radix * radix];
            DftIm = new double[radix * radix];
            for (var r = 0; r < radix; r++)
            {
                for (var q = 0; q < radix; q++)
                {
                    var angle = -2 * Math.PI * (r * q % radix) / radix;
                    DftRe[(r * radix) + q] = Math.Cos(angle);
                    DftIm[(r * radix) + q] = Math.Sin(angle);
                }
            }
        }

        public int Radix { get; }

        public double[] TwiddleRe { get; }

        public double[] TwiddleIm { get; }

        public double[] DftRe { get; }

        public double[] DftIm { get; }
    }
}
