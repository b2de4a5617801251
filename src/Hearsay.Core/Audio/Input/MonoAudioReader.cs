namespace Hearsay.Core.Audio.Input;

/// <summary>Mono float PCM in [-1, 1] at a fixed rate, read block by block: never the whole input in memory.</summary>
public abstract class MonoAudioReader : IAsyncDisposable
{
    /// <summary>Samples per second of what <see cref="ReadAsync"/> returns.</summary>
    public abstract int SampleRate { get; }

    /// <summary>Total samples (mono, at <see cref="SampleRate"/>) when known up front; null when streaming.</summary>
    public abstract long? TotalSamples { get; }

    /// <summary>Fills <paramref name="destination"/>; returns the count written, 0 only at the end.</summary>
    public abstract ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
