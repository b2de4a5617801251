using System.Buffers;

namespace Hearsay.Core.Audio;

/// <summary>
/// Writes mono float audio to a stream as 16-bit PCM, chunk by chunk, so playback can start before synthesis ends.
/// </summary>
/// <remarks>Not thread-safe: one writer per output stream. The writer never disposes the stream.</remarks>
public abstract class AudioStreamWriter
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

    /// <summary>PCM bytes written so far (the header excluded).</summary>
    public long DataBytes { get; private set; }

    /// <summary>Creates a writer for <paramref name="format"/>.</summary>
    /// <remarks>
    /// WAV on a seekable stream gets an exact header, patched by <see cref="CompleteAsync"/>; on a pipe it gets the
    /// streaming form whose sizes say "unknown", which sox, ffmpeg and browsers accept.
    /// </remarks>
    public static AudioStreamWriter Create(AudioFormat format, Stream output, int sampleRate) => format switch
    {
        AudioFormat.Wav => new WavStreamWriter(output, sampleRate),
        AudioFormat.Pcm => new PcmStreamWriter(output, sampleRate),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown audio format."),
    };

    /// <summary>Converts <paramref name="samples"/> to 16-bit PCM and writes them.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken = default)
    {
        await BeforeFirstWriteAsync(cancellationToken).ConfigureAwait(false);
        var byteCount = samples.Length * Pcm16.BytesPerSample;
        var buffer = ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            Pcm16.Write(samples.Span, buffer);
            await Output.WriteAsync(buffer.AsMemory(0, byteCount), cancellationToken).ConfigureAwait(false);
            DataBytes += byteCount;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Finishes the output (for WAV files, writes the final sizes) and flushes it.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        await BeforeFirstWriteAsync(cancellationToken).ConfigureAwait(false);
        await OnCompleteAsync(cancellationToken).ConfigureAwait(false);
        await Output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes whatever precedes the samples (a header), once.</summary>
    private protected virtual ValueTask BeforeFirstWriteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Finishes the format after the last samples.</summary>
    private protected virtual ValueTask OnCompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
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
