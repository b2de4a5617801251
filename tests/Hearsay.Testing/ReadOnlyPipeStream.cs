namespace Hearsay.Testing;

/// <summary>
/// Reads another stream as a pipe does: no seeking, no length, and at most <paramref name="maxRead"/> bytes per read,
/// so parsers meet short reads.
/// </summary>
public sealed class ReadOnlyPipeStream(Stream inner, int maxRead = int.MaxValue) : Stream
{
    public ReadOnlyPipeStream(byte[] data, int maxRead = int.MaxValue)
        : this(new MemoryStream(data, writable: false), maxRead)
    {
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, maxRead));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
