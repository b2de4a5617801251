namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>
/// Decodes MPEG-1, 2 and 2.5 Layer III frames to mono, one frame at a time, keeping the state that spans frames: the
/// bit reservoir, the IMDCT overlap and the synthesis filterbank. A stereo stream is averaged inside the decoder (see
/// <see cref="Layer3Hybrid"/>), so only one synthesis runs; with MS stereo alone and the same block types in both
/// channels, the average is the mid channel and the side channel is not decoded at all.
/// </summary>
internal sealed class Layer3Decoder
{
    // The reservoir reaches back at most 511 bytes (9 bits of main_data_begin); a frame's own main data is shorter than
    // its longest frame. The slack lets bit reads run past the end without a bounds check.
    private const int ReservoirBytes = 511;
    private const int Slack = 64;

    private readonly Layer3SideInfo _sideInfo = new();
    private readonly Layer3ScaleFactors[] _factors = [new(), new()];
    private readonly float[][] _lines = [new float[576], new float[576]];
    private readonly float[] _gains = new float[576];
    private readonly float[] _slots = new float[576];
    private readonly Layer3Hybrid _hybrid = new();
    private readonly SynthesisFilterbank _synthesis = new();
    private readonly byte[] _mainData = new byte[ReservoirBytes + Mp3FrameHeader.MaxFrameLength + Slack];
    private int _reservoir;

    /// <summary>
    /// Decodes <paramref name="frame"/> into <paramref name="mono"/> (the frame's samples per frame); returns false for a
    /// corrupt frame. A frame whose main data starts before the reservoir's bytes decodes those granules as silence.
    /// </summary>
    public bool TryDecode(Mp3Frame frame, Span<float> mono)
    {
        var header = frame.Header;
        var bands = Layer3ScaleFactorBands.For(header.Version, header.SampleRateIndex);
        var sideInfoStart = Mp3FrameHeader.Length + (header.HasCrc ? 2 : 0);
        var mainDataStart = sideInfoStart + Layer3SideInfo.LengthFor(header);
        var bytes = frame.Bytes;
        if (bytes.Length < mainDataStart || !_sideInfo.TryRead(header, bytes[sideInfoStart..mainDataStart], bands))
        {
            return false;
        }

        // The granules' bits must fit in what main_data_begin and this frame provide.
        var frameMainData = bytes[mainDataStart..];
        var begin = _sideInfo.MainDataBegin;
        if (_sideInfo.MainDataBits() > (begin + frameMainData.Length) * 8)
        {
            return false;
        }

        // Main data: the reservoir's bytes, then this frame's. It starts `begin` bytes before this frame's; bits
        // before the reservoir's start are lost, and (as ffmpeg does) the granules they held decode as silence.
        frameMainData.CopyTo(_mainData.AsSpan(_reservoir));
        var length = _reservoir + frameMainData.Length;
        _mainData.AsSpan(length, Slack).Clear();
        var position = (_reservoir - begin) * 8;

        var channels = _sideInfo.Channels;
        var midSideOnly = channels == 2 && Layer3Stereo.IsMidSideOnly(header);
        var decodeChannels = midSideOnly && SameBlocks() ? 1 : channels;
        Span<int> limits = stackalloc int[2];
        for (var granule = 0; granule < _sideInfo.Granules; granule++)
        {
            var skipped = position < 0;
            for (var channel = 0; channel < channels; channel++)
            {
                var g = _sideInfo[granule, channel];
                var end = position + g.Part23Length;
                if (!skipped && channel < decodeChannels)
                {
                    var reader = new Layer3BitReader(_mainData.AsSpan(0, length + Slack), position);
                    limits[channel] = DecodeChannel(ref reader, header, g, channel, bands, midSideOnly, end);
                }
                else
                {
                    _lines[channel].AsSpan().Clear();
                    limits[channel] = 0;
                }

                position = end;
            }

            if (!skipped && decodeChannels == 2 && header.ChannelMode == MpegChannelMode.JointStereo)
            {
                Layer3Stereo.Apply(header, _lines[0], _lines[1], _factors[1], bands);
                limits[0] = limits[1] = Math.Max(limits[0], limits[1]);
            }

            var second = decodeChannels == 2 ? _lines[1].AsSpan() : [];
            _hybrid.Transform(
                _lines[0], _sideInfo[granule, 0], limits[0], second, _sideInfo[granule, decodeChannels - 1], limits[1], bands, _slots);
            for (var t = 0; t < 18; t++)
            {
                _synthesis.Synthesize(_slots.AsSpan(t * 32, 32), mono.Slice((granule * 576) + (t * 32), 32));
            }
        }

        KeepReservoir(length);
        return true;
    }

    private int DecodeChannel(
        ref Layer3BitReader reader, Mp3FrameHeader header, Layer3Granule g, int channel, Layer3ScaleFactorBands bands, bool midSideOnly, int end)
    {
        var factors = _factors[channel];
        if (header.Version == MpegVersion.Version1)
        {
            factors.ReadMpeg1(ref reader, g);
        }
        else
        {
            var intensityRight = channel == 1 && header.ChannelMode == MpegChannelMode.JointStereo && (header.ChannelModeExtension & 1) != 0;
            factors.ReadLsf(ref reader, g, intensityRight);
        }

        factors.FillGains(g, bands, midSideOnly ? -2 : 0, _gains);
        return Layer3Spectrum.Decode(ref reader, g, _gains, _lines[channel], end);
    }

    /// <summary>True when both channels use the same block type (and mixing) in every granule of the frame.</summary>
    private bool SameBlocks()
    {
        for (var granule = 0; granule < _sideInfo.Granules; granule++)
        {
            var (left, right) = (_sideInfo[granule, 0], _sideInfo[granule, 1]);
            if (left.BlockType != right.BlockType || left.Mixed != right.Mixed)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Keeps the main data's last bytes, the most a later frame's main_data_begin can reach back.</summary>
    private void KeepReservoir(int length)
    {
        var keep = Math.Min(length, ReservoirBytes);
        _mainData.AsSpan(length - keep, keep).CopyTo(_mainData);
        _reservoir = keep;
    }
}
