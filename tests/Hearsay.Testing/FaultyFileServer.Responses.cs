using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Hearsay.Testing;

// How the server answers a request: status and headers, then the body with its faults.
public sealed partial class FaultyFileServer
{
    private const int BufferSize = 64 * 1024;

    // Kestrel sends from its own pipe, and aborting a connection discards what is still queued there even after a flush.
    // This pause lets the bytes before a drop reach the socket and the client read them before the connection dies (the
    // reset discards what the client has not read yet): 50 ms was too short on a machine busy with other test runs
    // (the client had read 113,152 of 1,000,000 bytes).
    private static readonly TimeSpan DropGrace = TimeSpan.FromSeconds(1);

    private async Task HandleAsync(HttpContext context)
    {
        var (request, response) = (context.Request, context.Response);
        var path = request.Path.Value ?? string.Empty;
        var range = request.Headers.Range.Count > 0 ? request.Headers.Range.ToString() : null;
        var isGet = HttpMethods.IsGet(request.Method);
        var traffic = _traffic.GetOrAdd(path, static _ => new PathTraffic());
        if (isGet)
        {
            traffic.RecordGet(range);
        }

        _faults.TryGetValue(path, out var faults);
        if (!isGet && !HttpMethods.IsHead(request.Method))
        {
            response.Headers.Allow = "GET, HEAD";
            Answer(StatusCodes.Status405MethodNotAllowed);
            return;
        }

        if (faults is not null && faults.TryTakeFailure(out var failure, out var retryAfter))
        {
            if (retryAfter is { } delay)
            {
                response.Headers.RetryAfter = ((long)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            Answer(failure);
            return;
        }

        await using var content = Open(path);
        if (content is null)
        {
            Answer(StatusCodes.Status404NotFound);
            return;
        }

        response.Headers.AcceptRanges = "bytes";
        response.Headers.ETag = content.ETag;
        var (start, length) = (0L, content.Length);
        if (range is not null && faults?.IgnoreRange != true && IfRangeMatches(request, content.ETag)
            && TryParseRange(range, out var first, out var last))
        {
            if (first >= content.Length)
            {
                response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes */{content.Length}");
                Answer(StatusCodes.Status416RangeNotSatisfiable);
                return;
            }

            (start, length) = (first, Math.Min(last, content.Length - 1) - first + 1);
            response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {start}-{start + length - 1}/{content.Length}");
            response.StatusCode = StatusCodes.Status206PartialContent;
        }

        response.ContentType = "application/octet-stream";
        response.ContentLength = length;
        Answer(response.StatusCode);
        if (isGet)
        {
            content.Stream.Position = start;
            await SendBodyAsync(context, content.Stream, start, length, faults?.TakeBodyFaults() ?? BodyFaults.None, traffic);
        }

        void Answer(int statusCode)
        {
            response.StatusCode = statusCode;
            lock (_logLock)
            {
                _log.Add(new ServedRequest(request.Method, path, range, statusCode, request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null));
            }
        }
    }

    private ServedContent? Open(string path)
    {
        if (_files.TryGetValue(path, out var open))
        {
            return open();
        }

        var (prefix, directory) = (string.Empty, string.Empty);
        foreach (var (candidate, folder) in _directories)
        {
            if (path.StartsWith(candidate, StringComparison.Ordinal) && candidate.Length > prefix.Length)
            {
                (prefix, directory) = (candidate, folder);
            }
        }

        if (prefix.Length == 0)
        {
            return null;
        }

        // Kestrel already removes dot segments; this also stops whatever else could point outside the folder.
        var file = Path.GetFullPath(Path.Join(directory, path.AsSpan(prefix.Length)));
        return file.StartsWith(directory, StringComparison.Ordinal) ? ServedContent.TryOpenFile(file) : null;
    }

    /// <summary>Writes <paramref name="length"/> bytes from the source's current position, applying the faults.</summary>
    private async Task SendBodyAsync(HttpContext context, Stream source, long start, long length, BodyFaults faults, PathTraffic traffic)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var cancellationToken = linked.Token;
        var body = context.Response.Body;
        var end = faults.DropAfter is { } drop && drop < length ? drop : length;
        var stallAt = faults.StallAfter;
        // Throttled bodies go in pieces of about 1/20 s so the pace is even rather than bursts of a full buffer.
        var chunk = faults.BytesPerSecond > 0 ? (int)Math.Clamp(faults.BytesPerSecond / 20, 1, BufferSize) : BufferSize;
        var began = Stopwatch.GetTimestamp();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            for (long sent = 0; sent < end;)
            {
                if (stallAt == sent)
                {
                    await body.FlushAsync(cancellationToken);
                    await Task.Delay(faults.StallFor, cancellationToken);
                    stallAt = null;
                }

                var count = (int)Math.Min(chunk, Math.Min(end, stallAt > sent ? stallAt.Value : end) - sent);
                await source.ReadExactlyAsync(buffer.AsMemory(0, count), cancellationToken);
                Corrupt(buffer.AsSpan(0, count), start + sent, faults.CorruptOffsets);
                traffic.AddBodyBytes(count);
                await body.WriteAsync(buffer.AsMemory(0, count), cancellationToken);
                sent += count;
                if (faults.BytesPerSecond > 0)
                {
                    var ahead = TimeSpan.FromSeconds((double)sent / faults.BytesPerSecond) - Stopwatch.GetElapsedTime(began);
                    if (ahead > TimeSpan.Zero)
                    {
                        await Task.Delay(ahead, cancellationToken);
                    }
                }
            }

            if (end < length)
            {
                await body.FlushAsync(cancellationToken);
                await Task.Delay(DropGrace, cancellationToken);
                context.Abort();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // Shutdown, a client that left, or a file that shrank: the body cannot be finished, so the connection goes.
            context.Abort();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Corrupt(Span<byte> chunk, long offset, long[] corruptOffsets)
    {
        foreach (var corrupt in corruptOffsets)
        {
            if (corrupt >= offset && corrupt < offset + chunk.Length)
            {
                chunk[(int)(corrupt - offset)] ^= 0xFF;
            }
        }
    }

    /// <summary>Whether a Range applies: with an <c>If-Range</c>, only when it names the current entity tag.</summary>
    private static bool IfRangeMatches(HttpRequest request, string etag) =>
        request.Headers.IfRange.Count == 0 || string.Equals(request.Headers.IfRange.ToString(), etag, StringComparison.Ordinal);

    /// <summary>
    /// Parses a single range, <c>bytes=N-</c> or <c>bytes=N-M</c> (open end: <paramref name="last"/> is
    /// <see cref="long.MaxValue"/>). Anything else (several ranges, suffix ranges, nonsense) is ignored and the whole
    /// content served, as RFC 9110 allows.
    /// </summary>
    private static bool TryParseRange(string header, out long first, out long last)
    {
        (first, last) = (0, long.MaxValue);
        const string Unit = "bytes=";
        if (!header.StartsWith(Unit, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var spec = header.AsSpan(Unit.Length).Trim();
        var dash = spec.IndexOf('-');
        if (dash <= 0 || spec.Contains(',')
            || !long.TryParse(spec[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out first))
        {
            return false;
        }

        var end = spec[(dash + 1)..];
        return end.IsEmpty
            || (long.TryParse(end, NumberStyles.None, CultureInfo.InvariantCulture, out last) && last >= first);
    }
}
