using System.Buffers;

namespace Hearsay.Core.Audio.Input;

/// <summary>Resamples another reader's output as it is read.</summary>
internal sealed class ResamplingReader : MonoAudioReader
{
    private readonly MonoAudioReader _source;
    private readonly Resampler _resampler;
    private float[]? _block = ArrayPool<float>.Shared.Rent(Resampler.BlockCapacity);

    public ResamplingReader(MonoAudioReader source, int outputRate)
    {
        _source = source;
        _resampler = new Resampler(source.SampleRate, outputRate);
        TotalSamples = source.TotalSamples is { } total ? Resampler.OutputLength(total, source.SampleRate, outputRate) : null;
    }

    public override int SampleRate => _resampler.OutputRate;

    public override long? TotalSamples { get; }

    internal Resampler Resampler => _resampler;

    public override async ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default)
    {
        var block = _block ?? throw new ObjectDisposedException(nameof(ResamplingReader));
        while (!destination.IsEmpty)
        {
            var written = _resampler.Read(destination.Span);
            if (written > 0 || _resampler.IsFinished)
            {
                // Band-limiting a full-scale edge overshoots a little (Gibbs); the reader promises [-1, 1].
                foreach (ref var sample in destination.Span[..written])
                {
                    sample = Math.Clamp(sample, -1f, 1f);
                }

                return written;
            }

            var space = Math.Min(_resampler.FreeSpace, block.Length);
            var read = await _source.ReadAsync(block.AsMemory(0, space), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _resampler.Complete();
            }
            else
            {
                _resampler.Write(block.AsSpan(0, read));
            }
        }

        return 0;
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _block, null) is { } block)
        {
            ArrayPool<float>.Shared.Return(block);
        }

        await _source.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
