using Hearsay.Core.ExternalPrograms;
using Microsoft.Extensions.Logging;

namespace Hearsay.Core.Audio.Input;

/// <summary>How <see cref="AudioDecoder"/> reads an input.</summary>
public sealed record AudioInputOptions
{
    /// <summary>Rate of the samples handed out; 16000 for Whisper. null = the input's own rate.</summary>
    /// <value>The default is 16000.</value>
    public int? TargetSampleRate { get; init; } = 16000;

    /// <summary>Set when the input is headerless PCM s16le; its channel count is <see cref="RawPcmChannels"/>.</summary>
    /// <value>The default, null, means the input has a header (WAV, or a format ffmpeg knows).</value>
    public int? RawPcmSampleRate { get; init; }

    /// <summary>Interleaved channels of raw PCM input (averaged to mono).</summary>
    /// <value>The default is 1.</value>
    public int RawPcmChannels { get; init; } = 1;

    /// <summary>Explicit ffmpeg path (or its folder).</summary>
    /// <value>
    /// The default, null, searches <c>HEARSAY_FFMPEG</c>, the Hearsay binary's folder, then <c>PATH</c>. A path that
    /// does not exist is an error, not a fallback.
    /// </value>
    public string? FfmpegPath { get; init; }

    /// <summary>Whether inputs other than <see cref="ExternalProgram.InProcessAudioFormats"/> may be handed to ffmpeg.</summary>
    /// <value>The default is true. When false, such inputs fail with <see cref="HearsayErrorCode.UnsupportedFormat"/>.</value>
    public bool UseFfmpeg { get; init; } = true;

    /// <summary>
    /// The longest ffmpeg may go without taking input or producing output while a read waits for it; past that it is
    /// stopped and the read fails with <see cref="HearsayErrorCode.DependencyFailed"/>.
    /// </summary>
    /// <value>
    /// The default is 30 seconds. It bounds a stall, not the whole decode, so a two-hour file read slowly by a
    /// transcriber is never cut off; ffmpeg decodes audio far faster than that.
    /// </value>
    public TimeSpan FfmpegTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest audio accepted. Past it, reading fails with <see cref="HearsayErrorCode.AudioTooLong"/> and the
    /// decoder stops at once (an ffmpeg process is killed), so a small file that decodes to hours costs no more than
    /// the limit. An input that can seek is refused before any of its samples are handed out: a WAV or raw PCM by its
    /// size, a format ffmpeg decodes by decoding it once up to the limit.
    /// </summary>
    /// <value>The default, null, accepts any length.</value>
    public TimeSpan? MaxDuration { get; init; }

    /// <summary>Where the decoder logs (event ids 1400–1499).</summary>
    /// <value>The default, null, logs nowhere.</value>
    public ILoggerFactory? LoggerFactory { get; init; }
}
