using System.Numerics;
using System.Runtime.InteropServices;

namespace Hearsay.Core.Audio.Input;

/// <summary>
/// A streaming band-limited resampler: a Kaiser-windowed sinc evaluated as a polyphase filter bank. It keeps only the
/// last filter length of input, so memory stays bounded however long the stream.
/// </summary>
/// <remarks>
/// <para>
/// The ratio is reduced to <c>up/down</c> (44100 → 16000 is 160/441). Output sample <c>k</c> lies exactly at input time
/// <c>k·down/up</c>, tracked in integers, so the phase never drifts, and the filter is centred on it, so there is no
/// group delay: output 0 is input 0. Input before the start and after the end counts as silence, and the output has
/// <c>round(n·up/down)</c> samples, as sox gives.
/// </para>
/// <para>
/// The low-pass is flat to 91.5 % of the lower rate's Nyquist frequency, half-amplitude near 96 %, and attenuates by
/// at least 100 dB from Nyquist on, so nothing above the output's Nyquist aliases back. That puts its transition band
/// where sox's default (high quality) filter has it; the clip tests compare with sox. With <c>up</c> up to
/// <see cref="MaxExactPhases"/> every phase has its own exactly computed row of taps; larger <c>up</c> (unusual rates
/// such as 44101 Hz) interpolates linearly between <see cref="InterpolatedPhases"/> rows, an error far below the
/// stopband. The bank never exceeds <see cref="MaxTableTaps"/>, so a header claiming an odd rate costs bounded memory.
/// </para>
/// <para>
/// Each output depends only on the input values around it, never on how the input was split into blocks, so any block
/// sizes give bit-identical output. Not thread-safe.
/// </para>
/// </remarks>
internal sealed class Resampler
{
    public const double PassbandEdge = 0.915;
    public const double StopbandEdge = 1.0;
    public const double StopbandAttenuationDb = 100;
    public const int MaxExactPhases = 1024;
    public const int InterpolatedPhases = 512;

    /// <summary>The most taps the filter bank holds (4 MiB of floats), whatever rates a header claims.</summary>
    public const int MaxTableTaps = 1 << 20;

    /// <summary>How many input samples <see cref="Write"/> can hold beyond the filter's own span.</summary>
    public const int BlockCapacity = 4096;

    private readonly int _up;
    private readonly int _down;
    private readonly int _taps;
    private readonly int _half;
    private readonly bool _exact;
    private readonly int _interpolatedPhases;
    private readonly float[] _table;
    private readonly float[] _buffer;
    private long _bufferStart;
    private int _count;
    private long _inputCount;
    private long _q;
    private int _p;
    private long _outputIndex;
    private long _totalOutputs = -1;

    public Resampler(int inputRate, int outputRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        InputRate = inputRate;
        OutputRate = outputRate;
        var divisor = (int)BigInteger.GreatestCommonDivisor(inputRate, outputRate);
        _up = outputRate / divisor;
        _down = inputRate / divisor;

        // Frequencies in cycles per input sample; the filter runs at the input's sample spacing.
        var nyquistOfLower = Math.Min(inputRate, outputRate) / 2.0 / inputRate;
        var cutoff = (PassbandEdge + StopbandEdge) / 2 * nyquistOfLower;
        var transition = (StopbandEdge - PassbandEdge) * nyquistOfLower;

        // Kaiser's formulas for the window shape and the length that reach the attenuation over the transition band.
        var beta = 0.1102 * (StopbandAttenuationDb - 8.7);
        var length = (StopbandAttenuationDb - 7.95) / (2.285 * 2 * Math.PI * transition);
        _half = Math.Max(1, (int)Math.Ceiling(length / 2));
        _taps = 2 * _half;
        _exact = _up <= MaxExactPhases && (long)_up * _taps <= MaxTableTaps;

        // Very long filters (a large rate down to a small one) get fewer interpolated rows, so the bank stays bounded.
        _interpolatedPhases = Math.Clamp((MaxTableTaps / _taps) - 1, 16, InterpolatedPhases);
        var rows = _exact ? _up : _interpolatedPhases + 1;
        _table = new float[rows * _taps];
        for (var row = 0; row < rows; row++)
        {
            var phase = _exact ? (double)row / _up : (double)row / _interpolatedPhases;
            FillRow(_table.AsSpan(row * _taps, _taps), phase, cutoff, beta);
        }

        _buffer = new float[_taps + BlockCapacity];

        // Silence before the first sample, so output 0 can be centred on input 0.
        _bufferStart = -(_half - 1);
        _count = _half - 1;
    }

    public int InputRate { get; }

    public int OutputRate { get; }

    /// <summary>Taps per output sample.</summary>
    public int Taps => _taps;

    /// <summary>Rows of taps in the filter bank.</summary>
    public int Phases => _exact ? _up : _interpolatedPhases + 1;

    /// <summary>True once <see cref="Complete"/> was called and every output was read.</summary>
    public bool IsFinished => _totalOutputs >= 0 && _outputIndex >= _totalOutputs;

    /// <summary>How many samples <see cref="Write"/> would accept now.</summary>
    public int FreeSpace
    {
        get
        {
            Compact();
            return _buffer.Length - _count;
        }
    }

    /// <summary>The output length for <paramref name="inputLength"/> input samples.</summary>
    public static long OutputLength(long inputLength, int inputRate, int outputRate)
    {
        var divisor = (long)BigInteger.GreatestCommonDivisor(inputRate, outputRate);
        var up = outputRate / divisor;
        var down = inputRate / divisor;
        return (long)(((Int128)inputLength * up * 2 + down) / (down * 2));
    }

    /// <summary>Appends input; returns how many samples were taken (fewer than offered when the buffer is full).</summary>
    public int Write(ReadOnlySpan<float> input)
    {
        if (_totalOutputs >= 0)
        {
            throw new InvalidOperationException("The input was already completed.");
        }

        Compact();
        var count = Math.Min(input.Length, _buffer.Length - _count);
        input[..count].CopyTo(_buffer.AsSpan(_count));
        _count += count;
        _inputCount += count;
        return count;
    }

    /// <summary>Says the input has ended: the last outputs are computed with silence after it.</summary>
    public void Complete()
    {
        if (_totalOutputs < 0)
        {
            _totalOutputs = OutputLength(_inputCount, InputRate, OutputRate);
        }
    }

    /// <summary>Writes every output sample the input so far allows; returns the count (0 when more input is needed).</summary>
    public int Read(Span<float> output)
    {
        var written = 0;
        while (written < output.Length && !IsFinished)
        {
            var last = _q + _half;
            if (last >= _bufferStart + _count)
            {
                if (_totalOutputs < 0)
                {
                    break;
                }

                PadWithSilence(last);
            }

            var window = _buffer.AsSpan((int)(_q - _half + 1 - _bufferStart), _taps);
            output[written++] = _exact ? Dot(window, Row(_p)) : Interpolate(window);

            _p += _down;
            _q += _p / _up;
            _p %= _up;
            _outputIndex++;
        }

        return written;
    }

    private float Interpolate(ReadOnlySpan<float> window)
    {
        var position = (double)_p * _interpolatedPhases / _up;
        var row = (int)position;
        var fraction = (float)(position - row);
        var a = Dot(window, Row(row));
        var b = Dot(window, Row(row + 1));
        return a + (fraction * (b - a));
    }

    private ReadOnlySpan<float> Row(int row) => _table.AsSpan(row * _taps, _taps);

    private void PadWithSilence(long last)
    {
        Compact();
        var end = _bufferStart + _count;
        var pad = (int)(last + 1 - end);
        _buffer.AsSpan(_count, pad).Clear();
        _count += pad;
    }

    /// <summary>Drops input that no future output needs.</summary>
    private void Compact()
    {
        var drop = (int)Math.Clamp(_q - _half + 1 - _bufferStart, 0, _count);
        if (drop == 0)
        {
            return;
        }

        _buffer.AsSpan(drop, _count - drop).CopyTo(_buffer);
        _count -= drop;
        _bufferStart += drop;
    }

    /// <summary>Taps for an output <paramref name="phase"/> (0 to 1) input samples after the window's centre sample.</summary>
    private void FillRow(Span<float> row, double phase, double cutoff, double beta)
    {
        var sum = 0.0;
        var values = new double[row.Length];
        for (var m = 0; m < row.Length; m++)
        {
            // Tap m multiplies input (centre - half + 1 + m); t is the output's distance from that input.
            var t = phase + _half - 1 - m;
            var x = 2 * cutoff * t;
            var sinc = Math.Abs(x) < 1e-12 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);
            var r = t / _half;
            var window = Math.Abs(r) > 1 ? 0 : BesselI0(beta * Math.Sqrt(1 - (r * r))) / BesselI0(beta);
            values[m] = 2 * cutoff * sinc * window;
            sum += values[m];
        }

        // Unity gain at DC for every phase, so no phase is louder than another.
        for (var m = 0; m < row.Length; m++)
        {
            row[m] = (float)(values[m] / sum);
        }
    }

    private static double BesselI0(double x)
    {
        var sum = 1.0;
        var term = 1.0;
        var quarterSquare = x * x / 4;
        for (var k = 1; k < 200 && term > sum * 1e-17; k++)
        {
            term *= quarterSquare / ((double)k * k);
            sum += term;
        }

        return sum;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var i = 0;
        var sum = 0f;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            var accumulator = Vector<float>.Zero;
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            for (var v = 0; v < va.Length; v++)
            {
                accumulator += va[v] * vb[v];
            }

            sum = Vector.Sum(accumulator);
            i = va.Length * Vector<float>.Count;
        }

        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
