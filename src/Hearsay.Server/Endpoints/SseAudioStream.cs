using System.Text;
using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Contracts.Audio;

namespace Hearsay.Server.Endpoints;

/// <summary>
/// A write-only stream that turns encoded audio into OpenAI's <c>speech.audio.delta</c> server-sent events: what is
/// written is collected, and each flush sends it as one event of base64 audio, so an audio writer that flushes per
/// sentence yields one event per sentence and the events' audio, joined, is the same file the plain stream carries.
/// </summary>
/// <remarks>Not thread-safe, like any stream. Never disposes the response stream it writes to.</remarks>
internal sealed class SseAudioStream(Stream events) : Stream
{
    private readonly MemoryStream _pending = new();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => _pending.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => _pending.Write(buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        _pending.Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _pending.Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>Sends what was written since the last flush as one delta event.</summary>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Length > 0)
        {
            var audio = Convert.ToBase64String(_pending.GetBuffer().AsSpan(0, (int)_pending.Length));
            _pending.SetLength(0);
            await SendAsync(new SpeechAudioEvent(SpeechAudioEvent.DeltaType, audio), cancellationToken);
        }

        await events.FlushAsync(cancellationToken);
    }

    /// <summary>Sends any audio still collected, then the <c>speech.audio.done</c> event.</summary>
    public async Task CompleteAsync(SpeechUsage usage, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        await SendAsync(new SpeechAudioEvent(SpeechAudioEvent.DoneType, Usage: usage), cancellationToken);
        await events.FlushAsync(cancellationToken);
    }

    /// <summary>The response allows no synchronous I/O, and neither does this stream.</summary>
    public override void Flush() => throw new NotSupportedException("Flush asynchronously: the response allows no synchronous I/O.");

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _pending.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>One event as OpenAI frames them: a single <c>data:</c> line of JSON, then a blank line.</summary>
    private async Task SendAsync(SpeechAudioEvent item, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(item, HearsayJsonContext.Web.SpeechAudioEvent);
        await events.WriteAsync(Encoding.UTF8.GetBytes("data: " + json + "\n\n"), cancellationToken);
    }
}
