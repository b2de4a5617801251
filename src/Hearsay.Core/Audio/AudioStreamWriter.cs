using System.Buffers;
using Hearsay.Core.Audio.Input;
using Microsoft.Extensions.Logging;

namespace Hearsay.Core.Audio;

/// <summary>
/// Writes mono float audio to a stream, chunk by chunk, so playback can start before synthesis ends: as 16-bit PCM
/// (WAV or raw), as Ogg Opus encoded in-process, or encoded by the ffmpeg program (see <see cref="AudioFormats.NeedsFfmpeg"/>).
/// </summary>
/// <remarks>
/// Not thread-safe: one writer per output stream. The writer never disposes the stream. An encoding writer runs ffmpeg
/// as a child process and writes its output to the stream from a background task until <see cref="CompleteAsync"/>
/// returns, so the caller must not touch the stream meanwhile (use <see cref="FlushAsync"/>), and must dispose the
/// writer: disposing a writer that was not completed stops ffmpeg.
/// </remarks>
public abstract class AudioStreamWriter : IAsyncDisposable
{
    private protected AudioStreamWriter(Stream output, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        Output = output;
        SampleRate = sampleRate;
    }

    /// <summary>The stream written to.</summary>
    protected Stream Output { get; }

    /// <summary>Samples per second.</summary>
    public int SampleRate { get; }

    /// <summary>16-bit PCM bytes written so far (two per sample; for encoded formats, the bytes given to the encoder).</summary>
    public long DataBytes { get; private set; }

    /// <summary>Creates a writer for <paramref name="format"/>.</summary>
    /// <param name="format">The encoding.</param>
    /// <param name="output">The stream to write to; the writer never disposes it.</param>
    /// <param name="sampleRate">Samples per second of the audio given to <see cref="WriteAsync"/>.</param>
    /// <param name="ffmpegPath">
    /// The ffmpeg program (or its folder) for the formats that need it; null searches <c>HEARSAY_FFMPEG</c>, next to the
    /// Hearsay binary, then <c>PATH</c>. Ignored for WAV and PCM.
    /// </param>
    /// <remarks>
    /// WAV on a seekable stream gets an exact header, patched by <see cref="CompleteAsync"/>; on a pipe it gets the
    /// streaming form whose sizes say "unknown", which sox, ffmpeg and browsers accept. The encoded formats are written
    /// as ffmpeg produces them, frame by frame; ffmpeg starts with the first write.
    /// </remarks>
    /// <param name="logger">Where ffmpeg's own error output goes when it fails (event 1420); null for nowhere.</param>
    /// <exception cref="DependencyUnavailableException">The format needs ffmpeg and it was not found.</exception>
    public static AudioStreamWriter Create(AudioFormat format, Stream output, int sampleRate, string? ffmpegPath = null, ILogger? logger = null) =>
        Create(format, output, sampleRate, ffmpegPath, new FfmpegLocator(), logger);

    /// <summary>
    /// Creates a writer for <paramref name="format"/> with ffmpeg already found (by <see cref="FfmpegLocator"/>, or the
    /// server's table of programs), so it is not looked for again.
    /// </summary>
    /// <param name="format">The encoding.</param>
    /// <param name="output">The stream to write to; the writer never disposes it.</param>
    /// <param name="sampleRate">Samples per second of the audio given to <see cref="WriteAsync"/>.</param>
    /// <param name="ffmpeg">The ffmpeg program for the formats that need it; ignored for WAV and PCM.</param>
    /// <param name="logger">Where ffmpeg's own error output goes when it fails (event 1420); null for nowhere.</param>
    /// <exception cref="ArgumentNullException">The format needs ffmpeg and <paramref name="ffmpeg"/> is null.</exception>
    public static AudioStreamWriter Create(AudioFormat format, Stream output, int sampleRate, FfmpegProgram? ffmpeg, ILogger? logger = null) =>
        format switch
        {
            AudioFormat.Wav => new WavStreamWriter(output, sampleRate),
            AudioFormat.Pcm => new PcmStreamWriter(output, sampleRate),
            AudioFormat.Opus => new OggOpusStreamWriter(output, sampleRate),
            AudioFormat.Mp3 or AudioFormat.Aac or AudioFormat.Flac =>
                new FfmpegAudioWriter(ffmpeg ?? throw new ArgumentNullException(nameof(ffmpeg), $"{format} is encoded by ffmpeg."), format, output, sampleRate, logger),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown audio format."),
        };

    internal static AudioStreamWriter Create(
        AudioFormat format, Stream output, int sampleRate, string? ffmpegPath, FfmpegLocator ffmpeg, ILogger? logger = null) =>
        Create(format, output, sampleRate, AudioFormats.NeedsFfmpeg(format) ? ffmpeg.Locate(ffmpegPath) : null, logger);

    internal static AudioStreamWriter Create(AudioFormat format, Stream output, int sampleRate, string? ffmpegPath, FfmpegLocator ffmpeg) =>
        Create(format, output, sampleRate, AudioFormats.NeedsFfmpeg(format) ? ffmpeg.Locate(ffmpegPath) : null);

    /// <summary>Converts <paramref name="samples"/> to 16-bit PCM and writes them (for encoded formats: to the encoder).</summary>
    /// <exception cref="HearsayException">ffmpeg could not be started or stopped while encoding (<see cref="HearsayErrorCode.DependencyFailed"/>).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; an encoding writer then stops ffmpeg and cannot be used further.</exception>
    public async ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken = default)
    {
        await BeforeFirstWriteAsync(cancellationToken).ConfigureAwait(false);
        var byteCount = samples.Length * Pcm16.BytesPerSample;
        var buffer = ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            Pcm16.Write(samples.Span, buffer);
            await WritePcmAsync(buffer.AsMemory(0, byteCount), cancellationToken).ConfigureAwait(false);
            DataBytes += byteCount;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Pushes what was written toward the reader, so a player on a pipe starts at once. WAV and PCM flush the stream;
    /// encoded formats are flushed as ffmpeg produces them, so this returns at once.
    /// </summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => OnFlushAsync(cancellationToken);

    /// <summary>Finishes the output (for WAV files, writes the final sizes; for encoded formats, lets ffmpeg finish) and flushes it.</summary>
    /// <exception cref="HearsayException">ffmpeg failed (<see cref="HearsayErrorCode.DependencyFailed"/>; the message carries its error output).</exception>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        await BeforeFirstWriteAsync(cancellationToken).ConfigureAwait(false);
        await OnCompleteAsync(cancellationToken).ConfigureAwait(false);
        await Output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Releases what the writer runs: an encoding writer that was not completed stops ffmpeg. Never disposes the stream.</summary>
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Writes whatever precedes the samples (a header), once.</summary>
    private protected virtual ValueTask BeforeFirstWriteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Writes 16-bit PCM bytes; the stream itself unless overridden.</summary>
    private protected virtual ValueTask WritePcmAsync(ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken) =>
        Output.WriteAsync(pcm, cancellationToken);

    /// <summary>Flushes what was written; the stream itself unless overridden.</summary>
    private protected virtual ValueTask OnFlushAsync(CancellationToken cancellationToken) => new(Output.FlushAsync(cancellationToken));

    /// <summary>Finishes the format after the last samples.</summary>
    private protected virtual ValueTask OnCompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Releases what the writer owns; nothing unless overridden.</summary>
    private protected virtual ValueTask DisposeAsyncCore() => ValueTask.CompletedTask;
}

/// <summary>Headerless 16-bit little-endian PCM.</summary>
internal sealed class PcmStreamWriter(Stream output, int sampleRate) : AudioStreamWriter(output, sampleRate);

/// <summary>RIFF/WAVE with an exact header on seekable streams and the streaming form on pipes.</summary>
internal sealed class WavStreamWriter(Stream output, int sampleRate) : AudioStreamWriter(output, sampleRate)
{
    private long _headerPosition = -1;

    private protected override async ValueTask BeforeFirstWriteAsync(CancellationToken cancellationToken)
    {
        if (_headerPosition >= 0)
        {
            return;
        }

        _headerPosition = Output.CanSeek ? Output.Position : 0;
        await WriteHeaderAsync(dataBytes: null, cancellationToken).ConfigureAwait(false);
    }

    private protected override async ValueTask OnCompleteAsync(CancellationToken cancellationToken)
    {
        if (!Output.CanSeek)
        {
            return;
        }

        var end = Output.Position;
        Output.Position = _headerPosition;
        await WriteHeaderAsync(DataBytes, cancellationToken).ConfigureAwait(false);
        Output.Position = end;
    }

    private async ValueTask WriteHeaderAsync(long? dataBytes, CancellationToken cancellationToken)
    {
        var header = new byte[WavHeader.Size];
        WavHeader.Write(header, SampleRate, dataBytes);
        await Output.WriteAsync(header, cancellationToken).ConfigureAwait(false);
    }
}
