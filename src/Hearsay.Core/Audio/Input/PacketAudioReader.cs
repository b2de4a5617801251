namespace Hearsay.Core.Audio.Input;

/// <summary>
/// A <see cref="MonoAudioReader"/> over a codec that decodes one packet at a time: it holds one packet's mono samples
/// and hands them out as they are asked for, so memory is bounded by the largest packet, never by the input.
/// </summary>
internal abstract class PacketAudioReader : MonoAudioReader
{
    private ReadOnlyMemory<float> _pending;

    public override long? TotalSamples => null;

    public sealed override async ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default)
    {
        while (_pending.IsEmpty)
        {
            if (await DecodeNextAsync(cancellationToken).ConfigureAwait(false) is not { } decoded)
            {
                return 0;
            }

            _pending = decoded;
        }

        var count = Math.Min(destination.Length, _pending.Length);
        _pending.Span[..count].CopyTo(destination.Span);
        _pending = _pending[count..];
        return count;
    }

    /// <summary>
    /// Decodes the next packet to mono samples in [-1, 1] (possibly none, e.g. within Opus's pre-skip); null at the end.
    /// The memory is the reader's own and valid until the next call.
    /// </summary>
    protected abstract ValueTask<ReadOnlyMemory<float>?> DecodeNextAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Averages interleaved channels into mono, scaled by <paramref name="gain"/> and clamped to [-1, 1]; a NaN, which
    /// a decoder can make of malformed data (found by the fuzz target), becomes silence.
    /// </summary>
    protected static void MixToMono(ReadOnlySpan<float> interleaved, int channels, float gain, Span<float> mono)
    {
        if (channels == 1)
        {
            for (var i = 0; i < mono.Length; i++)
            {
                mono[i] = Limit(interleaved[i] * gain);
            }

            return;
        }

        var scale = gain / channels;
        for (var i = 0; i < mono.Length; i++)
        {
            var sum = 0f;
            foreach (var sample in interleaved.Slice(i * channels, channels))
            {
                sum += sample;
            }

            mono[i] = Limit(sum * scale);
        }
    }

    private static float Limit(float sample) => float.IsNaN(sample) ? 0f : Math.Clamp(sample, -1f, 1f);
}
