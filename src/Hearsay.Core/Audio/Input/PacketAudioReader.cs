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
    /// Averages interleaved channels into mono (ffmpeg's <c>-ac 1</c> for mono and stereo), scaled by
    /// <paramref name="gain"/> and clamped to [-1, 1].
    /// </summary>
    protected static void MixToMono(ReadOnlySpan<float> interleaved, int channels, float gain, Span<float> mono)
    {
        if (channels == 1)
        {
            for (var i = 0; i < mono.Length; i++)
            {
                mono[i] = Math.Clamp(interleaved[i] * gain, -1f, 1f);
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

            mono[i] = Math.Clamp(sum * scale, -1f, 1f);
        }
    }
}
