namespace Hearsay.Core.Audio.Input.Flac;

/// <summary>
/// Decodes whole FLAC frames into per-channel integer samples: header, one subframe per channel, stereo
/// decorrelation, and the frame's CRC-16. The sample buffers are allocated once, for the stream's largest block.
/// </summary>
internal sealed class FlacFrameDecoder(FlacStreamInfo stream)
{
    // Grown to the largest block met, so memory follows what is decoded, not what STREAMINFO claims.
    private readonly long[][] _channels = new long[stream.Channels][];

    public FlacStreamInfo Stream { get; } = stream;

    /// <summary>Samples per channel of the last decoded frame.</summary>
    public int BlockSize { get; private set; }

    /// <summary>The last decoded frame's samples of <paramref name="channel"/>, as the encoder's integers.</summary>
    public ReadOnlySpan<long> Channel(int channel) => _channels[channel].AsSpan(0, BlockSize);

    /// <summary>Decodes the frame at the start of <paramref name="data"/>, which holds all of it; returns its length in bytes.</summary>
    public int Decode(ReadOnlySpan<byte> data)
    {
        var bits = new FlacBitReader(data);
        var header = FlacFrameHeader.Read(ref bits, data, Stream);
        var blockSize = header.BlockSize;
        EnsureCapacity(blockSize);
        for (var channel = 0; channel < header.Channels; channel++)
        {
            var isSide = header.Assignment switch
            {
                FlacChannelAssignment.LeftSide or FlacChannelAssignment.MidSide => channel == 1,
                FlacChannelAssignment.SideRight => channel == 0,
                _ => false,
            };
            FlacSubframeDecoder.Decode(ref bits, _channels[channel].AsSpan(0, blockSize), header.BitsPerSample + (isSide ? 1 : 0));
        }

        bits.AlignToByte();
        var length = bits.BytePosition;
        if (FlacCrc.Crc16(data[..length]) != bits.ReadBits(16))
        {
            throw FlacErrors.Invalid("a frame fails its CRC-16 check");
        }

        Decorrelate(header.Assignment, _channels[0].AsSpan(0, blockSize), header.Channels > 1 ? _channels[1].AsSpan(0, blockSize) : default);
        BlockSize = blockSize;
        return length + 2;
    }

    private static void Decorrelate(FlacChannelAssignment assignment, Span<long> first, Span<long> second)
    {
        switch (assignment)
        {
            case FlacChannelAssignment.LeftSide:
                for (var i = 0; i < first.Length; i++)
                {
                    second[i] = first[i] - second[i];
                }

                break;
            case FlacChannelAssignment.SideRight:
                for (var i = 0; i < first.Length; i++)
                {
                    first[i] += second[i];
                }

                break;
            case FlacChannelAssignment.MidSide:
                for (var i = 0; i < first.Length; i++)
                {
                    var side = second[i];
                    var mid = (first[i] << 1) | (side & 1);
                    first[i] = (mid + side) >> 1;
                    second[i] = (mid - side) >> 1;
                }

                break;
        }
    }

    private void EnsureCapacity(int blockSize)
    {
        for (var i = 0; i < _channels.Length; i++)
        {
            if (_channels[i] is null || _channels[i].Length < blockSize)
            {
                _channels[i] = new long[blockSize];
            }
        }
    }
}
