using NLayer;

namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>One whole frame handed to NLayer's decoder: the header's fields and a bit reader over the frame's bytes.</summary>
internal sealed class Mp3Frame : IMpegFrame
{
    private readonly byte[] _data = new byte[Mp3FrameHeader.MaxFrameLength];
    private int _length;
    private int _next;
    private ulong _bucket;
    private int _bucketBits;

    public Mp3FrameHeader Header { get; private set; }

    /// <summary>The frame's bytes, header included.</summary>
    public ReadOnlySpan<byte> Bytes => _data.AsSpan(0, _length);

    public int SampleRate => Header.SampleRate;

    public int SampleRateIndex => Header.SampleRateIndex;

    public int FrameLength => _length;

    public int BitRate => Header.BitRate;

    public MpegVersion Version => Header.Version;

    public MpegLayer Layer => Header.Layer;

    public MpegChannelMode ChannelMode => Header.ChannelMode;

    public int ChannelModeExtension => Header.ChannelModeExtension;

    public int SampleCount => Header.SamplesPerFrame;

    public int BitRateIndex => Header.BitRateIndex;

    public bool IsCopyrighted => Header.IsCopyrighted;

    public bool HasCrc => Header.HasCrc;

    public bool IsCorrupted => false;

    /// <summary>Copies a frame in; <paramref name="bytes"/> is the whole frame, its header first.</summary>
    public void Load(Mp3FrameHeader header, ReadOnlySpan<byte> bytes)
    {
        Header = header;
        bytes.CopyTo(_data);
        _length = bytes.Length;
        Reset();
    }

    /// <summary>Rewinds to the first bit after the header and its CRC, where NLayer starts reading.</summary>
    public void Reset()
    {
        _next = Mp3FrameHeader.Length + (HasCrc ? 2 : 0);
        _bucket = 0;
        _bucketBits = 0;
    }

    /// <summary>Reads 1 to 32 bits MSB first; a read past the frame's end means a corrupt frame.</summary>
    public int ReadBits(int bitCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bitCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bitCount, 32);
        while (_bucketBits < bitCount)
        {
            if (_next >= _length)
            {
                throw new InvalidDataException("An MP3 frame ended before its data did.");
            }

            _bucket = (_bucket << 8) | _data[_next++];
            _bucketBits += 8;
        }

        _bucketBits -= bitCount;
        return (int)((_bucket >> _bucketBits) & ((1UL << bitCount) - 1));
    }
}
