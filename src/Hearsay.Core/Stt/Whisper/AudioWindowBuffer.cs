using Hearsay.Core.Audio.Input;

namespace Hearsay.Core.Stt.Whisper;

/// <summary>
/// The part of a 16 kHz stream that the current and next Whisper windows need: filled from a reader on demand and
/// trimmed behind the window, so a two-hour input holds about 30 s of samples at a time.
/// </summary>
internal sealed class AudioWindowBuffer
{
    private const int ReadBlock = 16_000;
    private readonly MonoAudioReader? _reader;
    private float[] _buffer;
    private int _count;

    public AudioWindowBuffer(MonoAudioReader reader)
    {
        if (reader.SampleRate != Features.WhisperAudio.SampleRate)
        {
            throw new ArgumentException($"Whisper needs {Features.WhisperAudio.SampleRate} Hz audio, not {reader.SampleRate} Hz.", nameof(reader));
        }

        _reader = reader;
        _buffer = new float[Features.WhisperAudio.WindowSamples + ReadBlock];
    }

    private AudioWindowBuffer(float[] samples)
    {
        _buffer = samples;
        _count = samples.Length;
        TotalSamples = samples.Length;
    }

    /// <summary>Absolute index of <see cref="Samples"/>[0].</summary>
    public long Origin { get; private set; }

    /// <summary>The stream's length, once its end has been read.</summary>
    public long? TotalSamples { get; private set; }

    /// <summary>Samples from <see cref="Origin"/> on.</summary>
    public ReadOnlyMemory<float> Samples => _buffer.AsMemory(0, _count);

    /// <summary>A buffer over samples already in memory (a VAD chunk).</summary>
    public static AudioWindowBuffer FromSamples(float[] samples) => new(samples);

    /// <summary>Reads until the buffer reaches absolute sample <paramref name="end"/> or the stream ends.</summary>
    public async ValueTask FillToAsync(long end, CancellationToken cancellationToken)
    {
        while (TotalSamples is null && Origin + _count < end)
        {
            var needed = (int)Math.Min(end - Origin - _count, ReadBlock);
            if (_count + needed > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _count + needed));
            }

            var read = await _reader!.ReadAsync(_buffer.AsMemory(_count, needed), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                TotalSamples = Origin + _count;
            }

            _count += read;
        }
    }

    /// <summary>Forgets samples before absolute index <paramref name="sample"/>.</summary>
    public void DiscardBefore(long sample)
    {
        var drop = (int)Math.Clamp(sample - Origin, 0, _count);
        if (drop == 0)
        {
            return;
        }

        Array.Copy(_buffer, drop, _buffer, 0, _count - drop);
        _count -= drop;
        Origin += drop;
    }
}
