using Hearsay.Core.Audio.Input;

namespace Hearsay.Server.Endpoints.Realtime;

/// <summary>An utterance already in memory, at 16 kHz, read by the engine like any other input.</summary>
internal sealed class SampleArrayReader(float[] samples) : MonoAudioReader
{
    private int _position;

    public override int SampleRate => Pcm16Input.EngineRate;

    public override long? TotalSamples => samples.Length;

    public override ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default)
    {
        var count = Math.Min(destination.Length, samples.Length - _position);
        samples.AsSpan(_position, count).CopyTo(destination.Span);
        _position += count;
        return ValueTask.FromResult(count);
    }
}
