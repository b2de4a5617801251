namespace Hearsay.Core.Stt.Whisper;

/// <summary>
/// Samples of a stream from <see cref="Origin"/> on: appended at the end, dropped from the front once no longer
/// needed, so a long input holds only its recent part.
/// </summary>
internal sealed class SlidingSampleBuffer
{
    private float[] _buffer;
    private int _count;

    public SlidingSampleBuffer(int initialCapacity) => _buffer = new float[initialCapacity];

    /// <summary>A buffer that starts full with <paramref name="samples"/> (taken over, not copied).</summary>
    public SlidingSampleBuffer(float[] samples)
    {
        _buffer = samples;
        _count = samples.Length;
    }

    /// <summary>Absolute index of <see cref="Samples"/>[0].</summary>
    public long Origin { get; private set; }

    /// <summary>Absolute index just past the last sample held.</summary>
    public long End => Origin + _count;

    /// <summary>The samples held.</summary>
    public ReadOnlyMemory<float> Samples => _buffer.AsMemory(0, _count);

    /// <summary>Room for <paramref name="count"/> more samples at the end; <see cref="Commit"/> says how many were written.</summary>
    public Memory<float> Reserve(int count)
    {
        if (_count + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _count + count));
        }

        return _buffer.AsMemory(_count, count);
    }

    public void Commit(int count) => _count += count;

    public void Append(ReadOnlySpan<float> samples)
    {
        samples.CopyTo(Reserve(samples.Length).Span);
        Commit(samples.Length);
    }

    /// <summary>The held samples from absolute index <paramref name="start"/>.</summary>
    public ReadOnlySpan<float> Slice(long start, int length) => _buffer.AsSpan((int)(start - Origin), length);

    /// <summary>Forgets samples before absolute index <paramref name="sample"/>.</summary>
    public void DiscardBefore(long sample)
    {
        var drop = (int)Math.Clamp(sample - Origin, 0, _count);
        if (drop == 0)
        {
            return;
        }

        Array.Copy(_buffer, drop, _buffer, 0, _count - drop);
        _count -= drop;
        Origin += drop;
    }
}
