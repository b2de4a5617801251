namespace Hearsay.Core.Audio.Input;

/// <summary>
/// Hands out another reader's samples up to a <see cref="DurationLimit"/>. The moment one more arrives it stops that
/// reader (and any ffmpeg it runs), rather than decode the rest only to refuse it, and the next read fails.
/// </summary>
internal sealed class DurationLimitedReader(MonoAudioReader source, DurationLimit limit) : MonoAudioReader
{
    private readonly long _maxSamples = limit.MaxSamples(source.SampleRate);
    private long _samplesRead;
    private int _disposed;

    public override int SampleRate => source.SampleRate;

    public override long? TotalSamples => source.TotalSamples;

    public override async ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default)
    {
        if (_samplesRead > _maxSamples)
        {
            throw limit.TooLong();
        }

        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        // One sample past the limit proves it is passed: the decoder is never asked for more than that.
        var wanted = (int)Math.Min(destination.Length, _maxSamples - _samplesRead + 1);
        var read = await source.ReadAsync(destination[..wanted], cancellationToken).ConfigureAwait(false);
        _samplesRead += read;
        if (_samplesRead <= _maxSamples)
        {
            return read;
        }

        // Passed: the decoder stops now; the samples up to the limit are still handed out, and the next read fails.
        await DisposeAsync().ConfigureAwait(false);
        var withinLimit = read - 1;
        return withinLimit > 0 ? withinLimit : throw limit.TooLong();
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await source.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }
}
