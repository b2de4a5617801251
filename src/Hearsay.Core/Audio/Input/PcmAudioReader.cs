namespace Hearsay.Core.Audio.Input;

/// <summary>Decodes interleaved PCM frames (the data chunk of a WAV, or raw PCM) to mono floats as they are read.</summary>
internal sealed class PcmAudioReader(BufferedInput input, PcmLayout layout, int sampleRate, long? dataBytes) : MonoAudioReader
{
    private long? _remainingBytes = dataBytes;

    public PcmLayout Layout { get; } = layout;

    public override int SampleRate { get; } = sampleRate;

    public override long? TotalSamples { get; } = dataBytes / layout.BytesPerFrame;

    public override async ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default)
    {
        var frameBytes = Layout.BytesPerFrame;
        if (destination.IsEmpty || _remainingBytes < frameBytes)
        {
            return 0;
        }

        // Whole frames only: a partial frame at the very end (a cut-off file) is dropped.
        if (input.BufferedCount < frameBytes && await input.FillAsync(frameBytes, cancellationToken).ConfigureAwait(false) < frameBytes)
        {
            return 0;
        }

        var frames = input.BufferedCount / frameBytes;
        if (_remainingBytes is { } remaining)
        {
            frames = (int)Math.Min(frames, remaining / frameBytes);
        }

        frames = Math.Min(frames, destination.Length);
        Layout.DecodeMono(input.Buffered, destination.Span[..frames]);
        input.Consume(frames * frameBytes);
        _remainingBytes -= frames * frameBytes;
        return frames;
    }
}
