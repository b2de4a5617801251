using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Hearsay.Testing;

namespace Hearsay.Core.IntegrationTests.Testing;

/// <summary>The faulty file server the downloader tests stand on, checked with a real HttpClient over loopback.</summary>
public sealed class FaultyFileServerTests : IAsyncLifetime, IDisposable
{
    private const string ModelPath = "/models/tiny/a.onnx";

    // More than one 64 KB send buffer, so faults past the first buffer are exercised.
    private static readonly byte[] Content = [.. Enumerable.Range(0, 100_000).Select(i => (byte)((i * 31) ^ (i >> 8)))];

    private FaultyFileServer _server = null!;
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(10) };

    public async Task InitializeAsync()
    {
        _server = await FaultyFileServer.StartAsync();
        _server.Serve(ModelPath, Content);
        _client.BaseAddress = _server.BaseAddress;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _client.Dispose();

    [Fact]
    public void StartAsync_Loopback_ListensOnAFreePort()
    {
        Assert.Equal("127.0.0.1", _server.BaseAddress.Host);
        Assert.NotEqual(0, _server.BaseAddress.Port);
        Assert.Equal(new Uri(_server.BaseAddress, "models/tiny/a.onnx"), _server.Url(ModelPath));
    }

    [Fact]
    public async Task GetAsync_ServedBytes_ReturnsThemWithLengthRangesAndAStableETag()
    {
        using var first = await _client.GetAsync(ModelPath);
        using var second = await _client.GetAsync(ModelPath);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(Content, await first.Content.ReadAsByteArrayAsync());
        Assert.Equal(Content.Length, first.Content.Headers.ContentLength);
        Assert.Equal(["bytes"], first.Headers.AcceptRanges);
        Assert.NotNull(first.Headers.ETag);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
    }

    [Fact]
    public async Task HeadAsync_ServedBytes_ReturnsTheLengthWithoutABody()
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, ModelPath));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Content.Length, response.Content.Headers.ContentLength);
        Assert.Equal(["bytes"], response.Headers.AcceptRanges);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(0, _server.BytesSent(ModelPath));
    }

    [Theory]
    [InlineData(5L, null, 5, 99_999)]
    [InlineData(5L, 9L, 5, 9)]
    [InlineData(99_990L, 200_000L, 99_990, 99_999)]
    public async Task GetAsync_SingleRange_Returns206WithThoseBytes(long from, long? to, int first, int last)
    {
        using var response = await GetRangeAsync(from, to);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(new ContentRangeHeaderValue(first, last, Content.Length), response.Content.Headers.ContentRange);
        Assert.Equal(Content[first..(last + 1)], await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(100_000L)]
    [InlineData(250_000L)]
    public async Task GetAsync_RangeFromTheEndOrPast_Returns416WithTheLength(long from)
    {
        using var response = await GetRangeAsync(from, null);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */100000", response.Content.Headers.GetValues("Content-Range").Single());
    }

    [Fact]
    public async Task GetAsync_IfRangeWithAnotherETag_Returns200WithEverything()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ModelPath) { Headers = { Range = new RangeHeaderValue(5, null) } };
        request.Headers.IfRange = new RangeConditionHeaderValue("\"stale\"");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Content, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task GetAsync_UnknownPath_Returns404()
    {
        using var response = await _client.GetAsync("/models/tiny/missing.onnx");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GetAsync_RealFileInTwoRanges_JoinsToItsSha256()
    {
        var file = TestPaths.SharedFile("vad", "silero_vad_v5.onnx");
        _server.Serve("/vad/v5.onnx", file);

        using var head = await GetRangeAsync(0, 999, "/vad/v5.onnx");
        using var rest = await GetRangeAsync(1000, null, "/vad/v5.onnx");
        byte[] joined = [.. await head.Content.ReadAsByteArrayAsync(), .. await rest.Content.ReadAsByteArrayAsync()];

        Assert.Equal(SHA256.HashData(File.ReadAllBytes(file)), SHA256.HashData(joined));
        Assert.Equal(head.Headers.ETag, rest.Headers.ETag);
    }

    [Fact]
    public async Task ServeDirectory_SharedFolder_ServesItsFilesAndNothingElse()
    {
        var file = TestPaths.SharedFile("vad", "silero_vad_v4.onnx");
        _server.ServeDirectory("/mirror/", Path.GetDirectoryName(file)!);

        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/mirror/silero_vad_v4.onnx"));
        using var tail = await GetRangeAsync(1_800_000, null, "/mirror/silero_vad_v4.onnx");
        using var missing = await _client.GetAsync("/mirror/missing.onnx");
        using var folder = await _client.GetAsync("/mirror/");

        Assert.Equal(new FileInfo(file).Length, head.Content.Headers.ContentLength);
        Assert.Equal(File.ReadAllBytes(file)[1_800_000..], await tail.Content.ReadAsByteArrayAsync());
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (missing.StatusCode, folder.StatusCode));
    }

    [Fact]
    public async Task DropAfter_Once_TruncatesOneBodyThenServesWhole()
    {
        _server.DropAfter(ModelPath, 70_000);

        var (received, error) = await ReadUntilFailureAsync(ModelPath);
        var whole = await _client.GetByteArrayAsync(ModelPath);

        Assert.IsAssignableFrom<IOException>(error);
        Assert.Equal(Content[..70_000], received);
        Assert.Equal(Content, whole);
        Assert.Equal(70_000 + Content.Length, _server.BytesSent(ModelPath));
    }

    [Fact]
    public async Task DropAfter_TwiceOnRangedRequests_CountsFromTheRangeStart()
    {
        _server.DropAfter(ModelPath, 10, times: 2);

        var (first, firstError) = await ReadUntilFailureAsync(ModelPath, from: 50);
        var (second, secondError) = await ReadUntilFailureAsync(ModelPath, from: 60);
        var (third, thirdError) = await ReadUntilFailureAsync(ModelPath, from: 70);

        Assert.Equal(Content[50..60], first);
        Assert.Equal(Content[60..70], second);
        Assert.IsAssignableFrom<IOException>(firstError);
        Assert.IsAssignableFrom<IOException>(secondError);
        Assert.Null(thirdError);
        Assert.Equal(Content[70..], third);
    }

    [Fact]
    public async Task IgnoreRange_RangedGet_Returns200WithEverything()
    {
        _server.IgnoreRange(ModelPath);

        using var response = await GetRangeAsync(5, null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentRange);
        Assert.Equal(Content, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task CorruptByte_FullAndRangedBodies_FlipExactlyThatByteUntilCleared()
    {
        const int Offset = 70_000;
        _server.CorruptByte(ModelPath, Offset);

        var full = await _client.GetByteArrayAsync(ModelPath);
        using var ranged = await GetRangeAsync(Offset - 10, Offset + 9);
        var slice = await ranged.Content.ReadAsByteArrayAsync();
        _server.ClearFaults(ModelPath);
        var cleared = await _client.GetByteArrayAsync(ModelPath);

        Assert.Equal([Offset], Enumerable.Range(0, Content.Length).Where(i => full[i] != Content[i]));
        Assert.Equal((byte)~Content[Offset], full[Offset]);
        Assert.Equal(full[(Offset - 10)..(Offset + 10)], slice);
        Assert.Equal(Content, cleared);
    }

    [Theory]
    [InlineData(503, 2, 3.0, "3")]
    [InlineData(429, 1, 1.2, "2")]
    [InlineData(500, 1, null, null)]
    [InlineData(404, 3, null, null)]
    public async Task FailWith_Times_FailsThatOftenThenServes(int status, int times, double? retryAfterSeconds, string? retryAfterHeader)
    {
        _server.FailWith(ModelPath, status, times, retryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null);

        for (var i = 0; i < times; i++)
        {
            using var failed = await _client.GetAsync(ModelPath);
            Assert.Equal((HttpStatusCode)status, failed.StatusCode);
            Assert.Equal(retryAfterHeader, failed.Headers.TryGetValues("Retry-After", out var values) ? values.Single() : null);
        }

        Assert.Equal(Content, await _client.GetByteArrayAsync(ModelPath));
        Assert.Equal(times + 1, _server.GetRequestCount(ModelPath));
    }

    [Fact]
    public async Task FailWith_OnAPathNotServed_FailsThen404s()
    {
        _server.FailWith("/nowhere", 503);

        using var failed = await _client.GetAsync("/nowhere");
        using var missing = await _client.GetAsync("/nowhere");

        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.NotFound), (failed.StatusCode, missing.StatusCode));
    }

    [Fact]
    public async Task ClearFaults_PendingFailures_AreDropped()
    {
        _server.FailWith(ModelPath, 500, times: 5);
        _server.ClearFaults(ModelPath);

        using var response = await _client.GetAsync(ModelPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Stall_Once_DelaysOneBodyThenServesItWhole()
    {
        var pause = TimeSpan.FromMilliseconds(300);
        _server.Stall(ModelPath, 10_000, pause);

        var stalled = Stopwatch.StartNew();
        var body = await _client.GetByteArrayAsync(ModelPath);
        stalled.Stop();

        Assert.Equal(Content, body);
        Assert.True(stalled.Elapsed >= pause - TimeSpan.FromMilliseconds(20), $"took {stalled.Elapsed}");
    }

    [Fact]
    public async Task DisposeAsync_DuringALongStall_EndsItAtOnce()
    {
        _server.Stall(ModelPath, 10, TimeSpan.FromSeconds(30));
        using var response = await _client.GetAsync(ModelPath, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        await body.ReadExactlyAsync(new byte[10]);

        var stopping = Stopwatch.StartNew();
        await _server.DisposeAsync();

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(3), $"took {stopping.Elapsed}");
        await Assert.ThrowsAnyAsync<IOException>(() => body.ReadExactlyAsync(new byte[1]).AsTask());
    }

    [Fact]
    public async Task Throttle_BodyGoesAtAboutThatPace()
    {
        _server.Throttle(ModelPath, 400_000);

        var clock = Stopwatch.StartNew();
        var body = await _client.GetByteArrayAsync(ModelPath);

        Assert.Equal(Content, body);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(200), $"100 KB at 400 KB/s took {clock.Elapsed}");
    }

    [Fact]
    public async Task RequestLog_MixedRequests_CountsGetsRangesBytesAndStatuses()
    {
        await _client.GetByteArrayAsync(ModelPath);
        using (var ranged = await GetRangeAsync(5, null))
        {
            await ranged.Content.ReadAsByteArrayAsync();
        }

        using (await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, ModelPath)))
        using (await GetRangeAsync(10, 20))
        using (await _client.GetAsync("/missing"))
        {
        }

        Assert.Equal(3, _server.GetRequestCount(ModelPath));
        Assert.Equal([null, "bytes=5-", "bytes=10-20"], _server.RangeHeaders(ModelPath));
        Assert.Equal(Content.Length + (Content.Length - 5) + 11, _server.BytesSent(ModelPath));
        Assert.Equal(
            [
                new ServedRequest("GET", ModelPath, null, 200),
                new ServedRequest("GET", ModelPath, "bytes=5-", 206),
                new ServedRequest("HEAD", ModelPath, null, 200),
                new ServedRequest("GET", ModelPath, "bytes=10-20", 206),
                new ServedRequest("GET", "/missing", null, 404),
            ],
            _server.RequestLog);
    }

    [Fact]
    public void Serve_MissingFileOrRelativePath_Throws()
    {
        Assert.Throws<FileNotFoundException>(() => _server.Serve("/a", Path.Combine(TestPaths.SharedAssets, "no-such-file")));
        Assert.Throws<ArgumentException>(() => _server.Serve("a", Content));
    }

    private async Task<HttpResponseMessage> GetRangeAsync(long from, long? to, string path = ModelPath)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Range = new RangeHeaderValue(from, to) } };
        return await _client.SendAsync(request);
    }

    /// <summary>Reads a body as a downloader does, keeping what arrived before the connection failed.</summary>
    private async Task<(byte[] Received, Exception? Error)> ReadUntilFailureAsync(string path, long from = 0)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Range = from > 0 ? new RangeHeaderValue(from, null) : null } };
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var received = new MemoryStream();
        try
        {
            await body.CopyToAsync(received);
            return (received.ToArray(), null);
        }
        catch (IOException e)
        {
            return (received.ToArray(), e);
        }
    }
}
