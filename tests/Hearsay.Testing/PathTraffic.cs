namespace Hearsay.Testing;

/// <summary>What one URL path of <see cref="FaultyFileServer"/> has been asked for and has sent.</summary>
internal sealed class PathTraffic
{
    private readonly Lock _lock = new();
    private readonly List<string?> _ranges = [];
    private long _bodyBytes;

    /// <summary>GET requests so far.</summary>
    public int GetCount
    {
        get
        {
            lock (_lock)
            {
                return _ranges.Count;
            }
        }
    }

    /// <summary>The Range header of each GET so far (null when absent), in order.</summary>
    public IReadOnlyList<string?> Ranges
    {
        get
        {
            lock (_lock)
            {
                return [.. _ranges];
            }
        }
    }

    /// <summary>Body bytes handed to Kestrel so far.</summary>
    public long BodyBytes => Interlocked.Read(ref _bodyBytes);

    public void RecordGet(string? range)
    {
        lock (_lock)
        {
            _ranges.Add(range);
        }
    }

    public void AddBodyBytes(long count) => Interlocked.Add(ref _bodyBytes, count);
}
