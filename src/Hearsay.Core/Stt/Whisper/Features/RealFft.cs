namespace Hearsay.Core.Stt.Whisper.Features;

/// <summary>
/// Power spectrum of a real frame of even length N, via one complex FFT of length N/2 (the classic packing trick:
/// even samples as real parts, odd samples as imaginary parts). The complex FFT is mixed-radix, because Whisper's
/// N = 400 is not a power of two (N/2 = 200 = 4·2·5·5). Everything is in double precision.
/// </summary>
internal sealed class RealFft
{
    private readonly int _size;
    private readonly int _half;
    private readonly ComplexFft _fft;
    private readonly double[] _cos;
    private readonly double[] _sin;
    private readonly double[] _re;
    private readonly double[] _im;

    /// <summary>Prepares the transform; not thread-safe (it owns its work buffers).</summary>
    public RealFft(int size)
    {
        if (size < 2 || size % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The size must be even.");
        }

        _size = size;
        _half = size / 2;
        _fft = new ComplexFft(_half);
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
            _re[n] = frame[2 * n];
            _im[n] = frame[(2 * n) + 1];
        }

        _fft.Forward(_re, _im);

        for (var k = 0; k <= _half; k++)
        {
            // Z[k] and conj(Z[M-k]) give the spectra of the even and odd samples; combine with the twiddle W_N^k.
            var direct = k == _half ? 0 : k;
            var mirrored = k == 0 ? 0 : _half - k;
            var zr = _re[direct];
            var zi = _im[direct];
            var cr = _re[mirrored];
            var ci = -_im[mirrored];
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
}
