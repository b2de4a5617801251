namespace Hearsay.Core.Audio.Input;

/// <summary>
/// Mono float PCM in [-1, 1] at a fixed rate, read block by block: never the whole input in memory. Open one with
/// <see cref="AudioDecoder"/>.
/// </summary>
/// <remarks>Not thread-safe: one reader, one consumer. Disposing it stops any decoder process it started.</remarks>
public abstract class MonoAudioReader : IAsyncDisposable
{
    /// <summary>Samples per second of what <see cref="ReadAsync"/> returns.</summary>
    public abstract int SampleRate { get; }

    /// <summary>
    /// Total samples (mono, at <see cref="SampleRate"/>) when known up front: a WAV whose data size can be believed
    /// (on a stream that cannot seek, the header's size is taken as given, and a cut-short input ends earlier); null when
    /// streaming.
    /// </summary>
    public abstract long? TotalSamples { get; }

    /// <summary>Fills <paramref name="destination"/>; returns the count written, 0 only at the end.</summary>
    /// <exception cref="HearsayException">The input turned out to be malformed, or the decoder program failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public abstract ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default);

    /// <summary>Releases what the reader holds (a decoder process, buffers). The input stream is not disposed.</summary>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
