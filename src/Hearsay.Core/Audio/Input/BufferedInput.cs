namespace Hearsay.Core.Audio.Input;

/// <summary>
/// A forward-only read buffer over a stream that may not seek (stdin, a request body). Parsers look at what is buffered,
/// consume it, and skip by reading; nothing depends on <see cref="Stream.Seek"/>.
/// </summary>
/// <remarks>
/// Until the buffer first has to drop consumed bytes to make room, the whole prefix is still there, so a caller that
/// sniffed the start can <see cref="TryRewind">rewind</see> and hand every byte to another decoder (ffmpeg).
/// </remarks>
internal sealed class BufferedInput(Stream stream, int capacity = BufferedInput.DefaultCapacity)
{
    public const int DefaultCapacity = 64 * 1024;

    private readonly byte[] _buffer = new byte[capacity];
    private int _start;
    private int _end;
    private bool _endOfStream;
    private bool _prefixDropped;

    /// <summary>Bytes consumed so far, counted from the start of the stream.</summary>
    public long Position { get; private set; }

    public int Capacity => _buffer.Length;

    /// <summary>The bytes read from the stream and not yet consumed.</summary>
    public ReadOnlySpan<byte> Buffered => _buffer.AsSpan(_start, _end - _start);

    public int BufferedCount => _end - _start;

    /// <summary>True once the stream has reported its end (what is buffered may still be unconsumed).</summary>
    public bool EndOfStream => _endOfStream;

    /// <summary>
    /// Reads until at least <paramref name="minimum"/> bytes are buffered or the stream ends; returns how many are
    /// buffered, which is less than <paramref name="minimum"/> only at the end.
    /// </summary>
    public async ValueTask<int> FillAsync(int minimum, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minimum, _buffer.Length);
        while (BufferedCount < minimum && !_endOfStream)
        {
            if (_buffer.Length - _end < minimum - BufferedCount)
            {
                Compact();
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _endOfStream = true;
            }

            _end += read;
        }

        return BufferedCount;
    }

    /// <summary>Marks <paramref name="count"/> buffered bytes as used.</summary>
    public void Consume(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, BufferedCount);
        _start += count;
        Position += count;
    }

    /// <summary>Skips <paramref name="count"/> bytes by reading them; returns how many were skipped (fewer at the end).</summary>
    public async ValueTask<long> SkipAsync(long count, CancellationToken cancellationToken)
    {
        long skipped = 0;
        while (skipped < count)
        {
            if (BufferedCount == 0 && await FillAsync(1, cancellationToken).ConfigureAwait(false) == 0)
            {
                break;
            }

            var step = (int)Math.Min(BufferedCount, count - skipped);
            Consume(step);
            skipped += step;
        }

        return skipped;
    }

    /// <summary>Copies buffered bytes first, then reads the stream directly; 0 only at the end.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (BufferedCount == 0)
        {
            if (_endOfStream)
            {
                return 0;
            }

            // Large reads go straight to the caller's memory: the buffer only serves parsing.
            if (destination.Length >= _buffer.Length)
            {
                var direct = await stream.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
                _endOfStream = direct == 0;
                Position += direct;
                _prefixDropped = true;
                return direct;
            }

            await FillAsync(1, cancellationToken).ConfigureAwait(false);
        }

        var count = Math.Min(BufferedCount, destination.Length);
        Buffered[..count].CopyTo(destination.Span);
        Consume(count);
        return count;
    }

    /// <summary>Goes back to the first byte of the stream if it is still buffered.</summary>
    public bool TryRewind()
    {
        if (_prefixDropped)
        {
            return false;
        }

        Position = 0;
        _start = 0;
        return true;
    }

    private void Compact()
    {
        if (_start == 0)
        {
            return;
        }

        _prefixDropped = true;
        Buffered.CopyTo(_buffer);
        _end -= _start;
        _start = 0;
    }
}
