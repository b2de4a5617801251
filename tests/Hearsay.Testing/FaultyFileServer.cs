using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hearsay.Testing;

/// <summary>
/// A real HTTP file server on loopback (Kestrel on 127.0.0.1, a free port) that misbehaves on demand, for testing
/// downloaders. It serves registered files and folders to GET and HEAD, with single byte ranges, and each path can be
/// told to fail, drop the connection mid-body, stall, ignore ranges, corrupt a byte or go slowly.
/// </summary>
/// <remarks>
/// Every member is thread-safe. Paths are URL paths as the server sees them: unescaped, case-sensitive, starting with
/// <c>/</c>. Faults are set per path, also on paths served from a folder. Counted faults apply to the next requests
/// for their path in arrival order; setting a fault again replaces it. Files are streamed, never loaded whole, and
/// opened read-only.
/// </remarks>
public sealed partial class FaultyFileServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, Func<ServedContent?>> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _directories = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FileFaults> _faults = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PathTraffic> _traffic = new(StringComparer.Ordinal);
    private readonly Lock _logLock = new();
    private readonly List<ServedRequest> _log = [];
    private int _disposed;

    private FaultyFileServer(WebApplication app) => _app = app;

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every request answered so far, in arrival order (a snapshot).</summary>
    public IReadOnlyList<ServedRequest> RequestLog
    {
        get
        {
            lock (_logLock)
            {
                return [.. _log];
            }
        }
    }

    /// <summary>Starts a server on <c>http://127.0.0.1:0</c>; dispose it to stop it.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    public static async Task<FaultyFileServer> StartAsync(CancellationToken cancellationToken = default)
    {
        // The empty builder has no logging providers and reads no configuration: nothing reaches the test output.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0);
            options.AddServerHeader = false;
            // Tests read slowly on purpose (a download being killed); Kestrel must not cut them off for it.
            options.Limits.MinResponseDataRate = null;
        });
        // The default lifetime hooks Ctrl+C and SIGTERM for the whole test process; a test server must not.
        builder.Services.AddSingleton<IHostLifetime, PassiveLifetime>();

        var app = builder.Build();
        var server = new FaultyFileServer(app);
        app.Run(server.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The absolute URL of a path on this server.</summary>
    public Uri Url(string path) => new(BaseAddress, CheckPath(path));

    /// <summary>Serves a file from disk at <paramref name="path"/>, reading it afresh on each request.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public void Serve(string path, string file)
    {
        var fullPath = Path.GetFullPath(file);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"No file to serve at {fullPath}.", fullPath);
        }

        _files[CheckPath(path)] = () => ServedContent.TryOpenFile(fullPath);
    }

    /// <summary>Serves a copy of <paramref name="content"/> at <paramref name="path"/>.</summary>
    public void Serve(string path, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var copy = content.ToArray();
        var etag = ServedContent.ETagOf(copy);
        _files[CheckPath(path)] = () => ServedContent.FromBytes(copy, etag);
    }

    /// <summary>
    /// Serves every file under <paramref name="directory"/> below the URL prefix <paramref name="prefix"/> (e.g.
    /// <c>/mirror/</c>), read-only. A path registered with <c>Serve</c> wins; among folders, the longest prefix wins.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public void ServeDirectory(string prefix, string directory)
    {
        if (!CheckPath(prefix).EndsWith('/'))
        {
            throw new ArgumentException($"A folder's URL prefix ends with '/': {prefix}", nameof(prefix));
        }

        var fullPath = Path.GetFullPath(directory);
        if (!Directory.Exists(fullPath))
        {
            throw new DirectoryNotFoundException($"No folder to serve at {fullPath}.");
        }

        _directories[prefix] = Path.TrimEndingDirectorySeparator(fullPath) + Path.DirectorySeparatorChar;
    }

    /// <summary>
    /// The next <paramref name="times"/> GET bodies for <paramref name="path"/> stop after <paramref name="bytes"/>
    /// bytes and the connection is aborted; the headers still promise the full length. A body no longer than
    /// <paramref name="bytes"/> is sent whole (the drop is still used up).
    /// </summary>
    public void DropAfter(string path, long bytes, int times = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ArgumentOutOfRangeException.ThrowIfNegative(times);
        Faults(path).SetDrop(bytes, times);
    }

    /// <summary>Answers every GET for <paramref name="path"/> with 200 and the whole content, whatever its Range.</summary>
    public void IgnoreRange(string path) => Faults(path).SetIgnoreRange();

    /// <summary>
    /// Inverts the byte at <paramref name="offset"/> in the content wherever a body for <paramref name="path"/>
    /// covers it, until cleared. Calls add up: several offsets can be corrupted. The ETag does not change.
    /// </summary>
    public void CorruptByte(string path, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        Faults(path).AddCorruptOffset(offset);
    }

    /// <summary>
    /// The next <paramref name="times"/> GET bodies for <paramref name="path"/> pause for <paramref name="duration"/>
    /// after <paramref name="afterBytes"/> bytes (flushed first), then go on. A shorter body does not pause. Disposing
    /// the server or the client going away ends the pause at once.
    /// </summary>
    public void Stall(string path, long afterBytes, TimeSpan duration, int times = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(times);
        Faults(path).SetStall(afterBytes, duration, times);
    }

    /// <summary>
    /// The next <paramref name="times"/> requests for <paramref name="path"/>, GET or HEAD, are answered with
    /// <paramref name="statusCode"/> and no body, plus <c>Retry-After</c> in whole seconds (rounded up) when
    /// <paramref name="retryAfter"/> is given. The path need not be served.
    /// </summary>
    public void FailWith(string path, int statusCode, int times = 1, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        ArgumentOutOfRangeException.ThrowIfNegative(times);
        if (retryAfter is { } delay)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero, nameof(retryAfter));
        }

        Faults(path).SetFailure(statusCode, times, retryAfter);
    }

    /// <summary>Sends bodies for <paramref name="path"/> at about <paramref name="bytesPerSecond"/>, until cleared.</summary>
    public void Throttle(string path, long bytesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytesPerSecond);
        Faults(path).SetThrottle(bytesPerSecond);
    }

    /// <summary>Removes every fault set on <paramref name="path"/>, used up or not.</summary>
    public void ClearFaults(string path)
    {
        if (_faults.TryGetValue(CheckPath(path), out var faults))
        {
            faults.Clear();
        }
    }

    /// <summary>How many GET requests arrived for <paramref name="path"/>, whatever they were answered.</summary>
    public int GetRequestCount(string path) => Traffic(path)?.GetCount ?? 0;

    /// <summary>The <c>Range</c> header of each GET for <paramref name="path"/>, in order; null where there was none.</summary>
    public IReadOnlyList<string?> RangeHeaders(string path) => Traffic(path)?.Ranges ?? [];

    /// <summary>
    /// Body bytes sent for <paramref name="path"/> over all requests: counted as they are handed to Kestrel, so a
    /// client that has read a body has them all counted. Bytes still queued when a connection is aborted count too.
    /// </summary>
    public long BytesSent(string path) => Traffic(path)?.BodyBytes ?? 0;

    /// <summary>Stops the server: stalled and throttled responses end at once, their connections aborted.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        // A backstop only: with the responses ended above, Kestrel stops in milliseconds.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private static string CheckPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return path.StartsWith('/') ? path : throw new ArgumentException($"A URL path starts with '/': {path}", nameof(path));
    }

    private FileFaults Faults(string path) => _faults.GetOrAdd(CheckPath(path), static _ => new FileFaults());

    private PathTraffic? Traffic(string path) => _traffic.GetValueOrDefault(CheckPath(path));

    /// <summary>Lets the host start and stop only when told to, leaving the process's signals alone.</summary>
    private sealed class PassiveLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
