using System.Buffers.Binary;

namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>
/// The Xing/Info (with its LAME extension) or VBRI header some encoders put in a first frame that holds no audio. From
/// LAME's extension come the encoder delay and padding, which are trimmed as ffmpeg's mp3 demuxer does.
/// </summary>
/// <param name="Tag">"Xing", "Info" or "VBRI".</param>
/// <param name="Frames">The audio frames the header counts, when it says.</param>
/// <param name="EncoderDelay">Samples the encoder added at the start (0 without a LAME extension).</param>
/// <param name="Padding">Samples it added at the end (0 without a LAME extension).</param>
/// <param name="HasEncoderDelays">True when a LAME extension (written by LAME or ffmpeg's Lavf/Lavc) gave the two.</param>
internal sealed record Mp3InfoTag(string Tag, long? Frames, int EncoderDelay, int Padding, bool HasEncoderDelays)
{
    /// <summary>The MP3 decoder's own delay in samples, which ffmpeg skips on top of the encoder delay.</summary>
    public const int DecoderDelay = 528 + 1;

    private const int FramesFlag = 1;
    private const int BytesFlag = 2;
    private const int TocFlag = 4;
    private const int QualityFlag = 8;

    /// <summary>Finds the header in <paramref name="frame"/> (whole, its header first); null when it is an audio frame.</summary>
    public static Mp3InfoTag? TryRead(Mp3FrameHeader header, ReadOnlySpan<byte> frame)
    {
        if (header.Layer != MpegLayer.LayerIII)
        {
            return null;
        }

        // Where ffmpeg looks: after the side information, whose size depends on version and channels.
        var mono = header.ChannelMode == MpegChannelMode.Mono;
        var xingOffset = Mp3FrameHeader.Length + (header.Version == MpegVersion.Version1 ? (mono ? 17 : 32) : (mono ? 9 : 17));
        return TryReadXing(frame, xingOffset) ?? TryReadVbri(frame);
    }

    private static Mp3InfoTag? TryReadXing(ReadOnlySpan<byte> frame, int offset)
    {
        if (frame.Length < offset + 8)
        {
            return null;
        }

        var tag = frame.Slice(offset, 4);
        if (!tag.SequenceEqual("Xing"u8) && !tag.SequenceEqual("Info"u8))
        {
            return null;
        }

        var reader = new SpanCursor(frame, offset + 4);
        var flags = reader.ReadUInt32();
        var frames = (flags & FramesFlag) != 0 ? reader.ReadUInt32() : 0;
        var bytes = (flags & BytesFlag) != 0 ? reader.ReadUInt32() : 0;
        if (frames == 0 && bytes == 0)
        {
            // ffmpeg decodes such a frame as audio.
            return null;
        }

        reader.Skip((flags & TocFlag) != 0 ? 100 : 0);
        reader.Skip((flags & QualityFlag) != 0 ? 4 : 0);
        var version = reader.Take(9);

        // Revision and VBR method, lowpass, peak, two replay gains, encoding flags, bit rate: then the delays.
        reader.Skip(1 + 1 + 4 + 2 + 2 + 1 + 1);
        var delays = reader.ReadUInt24();
        var isLame = version.StartsWith("LAME"u8) || version.StartsWith("Lavf"u8) || version.StartsWith("Lavc"u8);
        var hasDelays = isLame && delays is not null;
        return new Mp3InfoTag(
            System.Text.Encoding.ASCII.GetString(tag),
            frames == 0 ? null : frames,
            hasDelays ? (int)(delays!.Value >> 12) : 0,
            hasDelays ? (int)(delays!.Value & 0xFFF) : 0,
            hasDelays);
    }

    private static Mp3InfoTag? TryReadVbri(ReadOnlySpan<byte> frame)
    {
        // Fraunhofer's header: always 32 bytes after the frame header; version 1 only.
        const int offset = Mp3FrameHeader.Length + 32;
        if (frame.Length < offset + 18 || !frame.Slice(offset, 4).SequenceEqual("VBRI"u8)
            || BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 4)..]) != 1)
        {
            return null;
        }

        var frames = BinaryPrimitives.ReadUInt32BigEndian(frame[(offset + 14)..]);
        return new Mp3InfoTag("VBRI", frames == 0 ? null : frames, 0, 0, false);
    }

    /// <summary>Reads big-endian fields forward; past the frame's end reads give nothing rather than failing.</summary>
    private ref struct SpanCursor(ReadOnlySpan<byte> data, int position)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position = position;

        public uint ReadUInt32()
        {
            var value = _position + 4 <= _data.Length ? BinaryPrimitives.ReadUInt32BigEndian(_data[_position..]) : 0;
            _position += 4;
            return value;
        }

        public uint? ReadUInt24()
        {
            uint? value = _position + 3 <= _data.Length
                ? (uint)((_data[_position] << 16) | (_data[_position + 1] << 8) | _data[_position + 2])
                : null;
            _position += 3;
            return value;
        }

        public ReadOnlySpan<byte> Take(int count)
        {
            var start = Math.Min(_position, _data.Length);
            _position += count;
            return _data[start..Math.Min(_position, _data.Length)];
        }

        public void Skip(int count) => _position += count;
    }
}
