using System.Net;

namespace Hearsay.FunctionalTests.Server;

/// <summary>Request content that says when its last byte has been handed to the connection.</summary>
internal sealed class SentContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SentContent(HttpContent inner)
    {
        _inner = inner;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    /// <summary>Completes once the whole body has been written.</summary>
    public Task Sent => _sent.Task;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await _inner.CopyToAsync(stream);
        await stream.FlushAsync();
        _sent.TrySetResult();
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
