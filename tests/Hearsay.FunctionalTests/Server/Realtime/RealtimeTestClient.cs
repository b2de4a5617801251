using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Hearsay.FunctionalTests.Server.Realtime;

/// <summary>
/// A Realtime transcription session from the client's side, on <see cref="ClientWebSocket"/>: sends events as JSON,
/// reads every server event in the background, and waits for the next of a type.
/// </summary>
internal sealed class RealtimeTestClient : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly List<JsonElement> _seen = [];
    private readonly Task _reader;

    private RealtimeTestClient(ClientWebSocket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadAllAsync);
    }

    public WebSocket Socket => _socket;

    /// <summary>Completes when the server's events end: it closed, or the connection broke.</summary>
    public Task Ended => _reader;

    /// <summary>Every event taken so far with <see cref="NextAsync"/>, in order.</summary>
    public IReadOnlyList<JsonElement> Seen => _seen;

    /// <summary>Connects with the bearer token (null: none); <paramref name="beta"/> sends <c>OpenAI-Beta: realtime=v1</c>.</summary>
    public static async Task<RealtimeTestClient> ConnectAsync(
        Uri baseUrl, string? token, bool beta = false, Action<ClientWebSocketOptions>? configure = null, string query = "?intent=transcription")
    {
        var socket = new ClientWebSocket();
        if (token is not null)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        }

        if (beta)
        {
            socket.Options.SetRequestHeader("OpenAI-Beta", "realtime=v1");
        }

        configure?.Invoke(socket.Options);
        try
        {
            await socket.ConnectAsync(Url(baseUrl, query), CancellationToken.None);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new RealtimeTestClient(socket);
    }

    public static Uri Url(Uri baseUrl, string query = "?intent=transcription") =>
        new($"ws://{baseUrl.Authority}/v1/realtime{query}");

    public Task SendAsync(object value) => SendTextAsync(JsonSerializer.Serialize(value));

    public Task SendTextAsync(string json) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>Sends <paramref name="pcm"/> in appends of <paramref name="chunkBytes"/>, waiting <paramref name="pause"/> between them.</summary>
    public async Task AppendAsync(byte[] pcm, int chunkBytes, TimeSpan pause = default)
    {
        for (var offset = 0; offset < pcm.Length; offset += chunkBytes)
        {
            var chunk = pcm.AsSpan(offset, Math.Min(chunkBytes, pcm.Length - offset));
            await SendAsync(new { type = "input_audio_buffer.append", audio = Convert.ToBase64String(chunk) });
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause);
            }
        }
    }

    /// <summary>The next event of <paramref name="type"/>; the events before it are kept in <see cref="Seen"/>.</summary>
    public async Task<JsonElement> NextAsync(string type)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (true)
        {
            JsonElement next;
            try
            {
                next = await _events.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No {type} within {Wait.TotalSeconds} s; seen: {string.Join(", ", _seen.Select(e => e.GetProperty("type").GetString()))}");
            }
            catch (ChannelClosedException)
            {
                throw new InvalidOperationException($"The socket closed before {type}; seen: {string.Join(", ", _seen.Select(e => e.GetProperty("type").GetString()))}");
            }

            _seen.Add(next);
            if (next.GetProperty("type").GetString() == type)
            {
                return next;
            }
        }
    }

    /// <summary>The events of <paramref name="type"/> taken so far.</summary>
    public IEnumerable<JsonElement> SeenOf(string type) => _seen.Where(e => e.GetProperty("type").GetString() == type);

    public async Task CloseAsync()
    {
        await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await _reader;
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        try
        {
            await _reader;
        }
        catch (WebSocketException)
        {
        }
    }

    private async Task ReadAllAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    // Answered as browsers and the ws package do, when the server closed first.
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }

                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    _events.Writer.TryWrite(JsonDocument.Parse(message.ToArray()).RootElement.Clone());
                    message.SetLength(0);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }
}
