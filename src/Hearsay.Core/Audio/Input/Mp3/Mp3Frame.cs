namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>One whole frame, its header parsed, copied into a buffer the reader reuses.</summary>
internal sealed class Mp3Frame
{
    private readonly byte[] _data = new byte[Mp3FrameHeader.MaxFrameLength];
    private int _length;

    public Mp3FrameHeader Header { get; private set; }

    /// <summary>The frame's bytes, header included.</summary>
    public ReadOnlySpan<byte> Bytes => _data.AsSpan(0, _length);

    /// <summary>Copies a frame in; <paramref name="bytes"/> is the whole frame, its header first.</summary>
    public void Load(Mp3FrameHeader header, ReadOnlySpan<byte> bytes)
    {
        Header = header;
        bytes.CopyTo(_data);
        _length = bytes.Length;
    }
}
