namespace Hearsay.Testing;

/// <summary>
/// The faults set on one URL path of <see cref="FaultyFileServer"/>. Counted faults (failures, drops, stalls) are used
/// up by the responses they hit; the others stay until cleared.
/// </summary>
internal sealed class FileFaults
{
    private readonly Lock _lock = new();
    private (int StatusCode, TimeSpan? RetryAfter, int Times) _failure;
    private (long AfterBytes, int Times) _drop;
    private (long AfterBytes, TimeSpan Duration, int Times) _stall;
    private bool _ignoreRange;
    private long[] _corruptOffsets = [];
    private long _bytesPerSecond;

    /// <summary>Whether Range headers are ignored.</summary>
    public bool IgnoreRange
    {
        get
        {
            lock (_lock)
            {
                return _ignoreRange;
            }
        }
    }

    public void SetFailure(int statusCode, int times, TimeSpan? retryAfter)
    {
        lock (_lock)
        {
            _failure = (statusCode, retryAfter, times);
        }
    }

    public void SetDrop(long afterBytes, int times)
    {
        lock (_lock)
        {
            _drop = (afterBytes, times);
        }
    }

    public void SetStall(long afterBytes, TimeSpan duration, int times)
    {
        lock (_lock)
        {
            _stall = (afterBytes, duration, times);
        }
    }

    public void SetIgnoreRange()
    {
        lock (_lock)
        {
            _ignoreRange = true;
        }
    }

    public void AddCorruptOffset(long offset)
    {
        lock (_lock)
        {
            _corruptOffsets = [.. _corruptOffsets, offset];
        }
    }

    public void SetThrottle(long bytesPerSecond)
    {
        lock (_lock)
        {
            _bytesPerSecond = bytesPerSecond;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            (_failure, _drop, _stall, _ignoreRange, _corruptOffsets, _bytesPerSecond) = (default, default, default, false, [], 0);
        }
    }

    /// <summary>Uses up one failure, if one is pending: any request, GET or HEAD, can fail.</summary>
    public bool TryTakeFailure(out int statusCode, out TimeSpan? retryAfter)
    {
        lock (_lock)
        {
            (statusCode, retryAfter) = (_failure.StatusCode, _failure.RetryAfter);
            if (_failure.Times == 0)
            {
                return false;
            }

            _failure.Times--;
            return true;
        }
    }

    /// <summary>What the next body applies, using up one drop and one stall if pending (only bodies use them).</summary>
    public BodyFaults TakeBodyFaults()
    {
        lock (_lock)
        {
            long? dropAfter = null;
            if (_drop.Times > 0)
            {
                _drop.Times--;
                dropAfter = _drop.AfterBytes;
            }

            long? stallAfter = null;
            if (_stall.Times > 0)
            {
                _stall.Times--;
                stallAfter = _stall.AfterBytes;
            }

            return new BodyFaults(dropAfter, stallAfter, _stall.Duration, _corruptOffsets, _bytesPerSecond);
        }
    }
}

/// <summary>The faults one response body applies.</summary>
/// <param name="DropAfter">Body bytes to send before aborting the connection; null to send it all.</param>
/// <param name="StallAfter">Body bytes to send before pausing for <paramref name="StallFor"/>; null for no pause.</param>
/// <param name="StallFor">How long the pause lasts.</param>
/// <param name="CorruptOffsets">Absolute offsets in the content whose bytes are sent inverted.</param>
/// <param name="BytesPerSecond">The pace of the body; 0 for as fast as possible.</param>
internal readonly record struct BodyFaults(
    long? DropAfter, long? StallAfter, TimeSpan StallFor, long[] CorruptOffsets, long BytesPerSecond)
{
    public static BodyFaults None { get; } = new(null, null, TimeSpan.Zero, [], 0);
}
