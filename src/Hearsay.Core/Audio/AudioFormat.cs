namespace Hearsay.Core.Audio;

/// <summary>
/// Encodings Hearsay writes: <see cref="Wav"/>, <see cref="Pcm"/> and <see cref="Opus"/> natively, the others through the ffmpeg program
/// (see <see cref="AudioFormats.NeedsFfmpeg"/>). The encoded ones are those OpenAI's speech API offers.
/// </summary>
public enum AudioFormat
{
    /// <summary>RIFF/WAVE, 16-bit PCM, mono.</summary>
    Wav,

    /// <summary>Headerless 16-bit signed little-endian PCM, mono.</summary>
    Pcm,

    /// <summary>MPEG-1/2 audio layer III frames (libmp3lame, 64 kbit/s mono), after an ID3v2 tag.</summary>
    Mp3,

    /// <summary>Opus in an Ogg container (Concentus, in-process, 48 kHz, 32 kbit/s), as OpenAI's <c>opus</c> is.</summary>
    Opus,

    /// <summary>AAC-LC in ADTS frames (ffmpeg's own encoder, 64 kbit/s), which play without an MP4 container.</summary>
    Aac,

    /// <summary>Native FLAC, lossless 16-bit. Streamed, so its header gives no total length.</summary>
    Flac,
}
