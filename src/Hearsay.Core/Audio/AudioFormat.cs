namespace Hearsay.Core.Audio;

/// <summary>Encodings Hearsay writes natively.</summary>
public enum AudioFormat
{
    /// <summary>RIFF/WAVE, 16-bit PCM, mono.</summary>
    Wav,

    /// <summary>Headerless 16-bit signed little-endian PCM, mono.</summary>
    Pcm,
}
