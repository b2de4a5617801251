using System.Buffers.Binary;

namespace Hearsay.Testing;

/// <summary>
/// A PCM WAV (8-bit unsigned or 16-bit) made on the fly, never materialised: a square wave of ±0.5 switching every 24
/// frames on every channel, so the mix and any resampling keep a known peak. It can seek like a file or not like a
/// pipe, and it records how far it was read.
/// </summary>
public sealed class GeneratedWavStream : Stream
{
    private const int HeaderBytes = 44;

    private readonly byte[] _header = new byte[HeaderBytes];
    private readonly long _length;
    private readonly int _bytesPerSample;
    private readonly int _frameBytes;
    private readonly bool _seekable;
    private long _position;

    public GeneratedWavStream(int sampleRate, int channels, long frames, int bytesPerSample = 2, bool seekable = false)
    {
        _bytesPerSample = bytesPerSample;
        _frameBytes = bytesPerSample * channels;
        _seekable = seekable;
        var dataBytes = frames * _frameBytes;
        "RIFF"u8.CopyTo(_header);
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(4), checked((uint)(dataBytes + 36)));
        "WAVEfmt "u8.CopyTo(_header.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(_header.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(_header.AsSpan(22), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(24), (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(28), (uint)(sampleRate * _frameBytes));
        BinaryPrimitives.WriteUInt16LittleEndian(_header.AsSpan(32), (ushort)_frameBytes);
        BinaryPrimitives.WriteUInt16LittleEndian(_header.AsSpan(34), (ushort)(8 * bytesPerSample));
        "data"u8.CopyTo(_header.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(40), checked((uint)dataBytes));
        _length = HeaderBytes + dataBytes;
    }

    /// <summary>The furthest byte handed out so far.</summary>
    public long FurthestRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => _seekable;

    public override bool CanWrite => false;

    public override long Length => _seekable ? _length : throw new NotSupportedException();

    public override long Position
    {
        get => _seekable ? _position : throw new NotSupportedException();
        set => _position = _seekable ? value : throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Max(0, Math.Min(buffer.Length, _length - _position));
        for (var i = 0; i < count; i++, _position++)
        {
            buffer[i] = _position < HeaderBytes ? _header[_position] : SampleByte(_position - HeaderBytes);
        }

        FurthestRead = Math.Max(FurthestRead, _position);
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => _length + offset,
    };

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private byte SampleByte(long inData)
    {
        var high = inData / _frameBytes / 24 % 2 == 0;
        if (_bytesPerSample == 1)
        {
            return (byte)(high ? 192 : 64);
        }

        // Low then high byte of ±16384.
        var value = (short)(high ? 16384 : -16384);
        return (byte)(inData % 2 == 0 ? value & 0xFF : (value >> 8) & 0xFF);
    }
}
