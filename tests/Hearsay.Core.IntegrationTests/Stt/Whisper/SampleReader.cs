using Hearsay.Core.Audio.Input;

namespace Hearsay.Core.IntegrationTests.Stt.Whisper;

/// <summary>16 kHz samples from memory, counting how far they have been read.</summary>
internal sealed class SampleReader(float[] samples) : MonoAudioReader
{
    public long Position { get; private set; }

    public override int SampleRate => 16000;

    public override long? TotalSamples => samples.Length;

    public override ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default)
    {
        var count = (int)Math.Min(destination.Length, samples.Length - Position);
        samples.AsSpan((int)Position, count).CopyTo(destination.Span);
        Position += count;
        return ValueTask.FromResult(count);
    }
}
