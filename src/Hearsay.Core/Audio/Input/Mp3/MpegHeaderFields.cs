namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>The MPEG audio version a frame header names: MPEG-1, MPEG-2 (LSF), or the unofficial MPEG-2.5.</summary>
internal enum MpegVersion
{
    Unknown,
    Version1,
    Version2,
    Version25,
}

/// <summary>The layer a frame header names.</summary>
internal enum MpegLayer
{
    Unknown,
    LayerI,
    LayerII,
    LayerIII,
}

/// <summary>The header's two mode bits, in the standard's order.</summary>
internal enum MpegChannelMode
{
    Stereo,
    JointStereo,
    DualChannel,
    Mono,
}
