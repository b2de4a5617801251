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
    private readonly SlidingSampleBuffer _samples;

    /// <summary>A buffer filled from <paramref name="reader"/>, which must deliver 16 kHz (the engine checks).</summary>
    public AudioWindowBuffer(MonoAudioReader reader)
    {
        _reader = reader;
        _samples = new SlidingSampleBuffer(Features.WhisperAudio.WindowSamples + ReadBlock);
    }

    private AudioWindowBuffer(float[] samples)
    {
        _samples = new SlidingSampleBuffer(samples);
        TotalSamples = samples.Length;
    }

    /// <summary>Absolute index of <see cref="Samples"/>[0].</summary>
    public long Origin => _samples.Origin;

    /// <summary>The stream's length, once its end has been read.</summary>
    public long? TotalSamples { get; private set; }

    /// <summary>Samples from <see cref="Origin"/> on.</summary>
    public ReadOnlyMemory<float> Samples => _samples.Samples;

    /// <summary>A buffer over samples already in memory (a VAD chunk).</summary>
    public static AudioWindowBuffer FromSamples(float[] samples) => new(samples);

    /// <summary>Reads until the buffer reaches absolute sample <paramref name="end"/> or the stream ends.</summary>
    public async ValueTask FillToAsync(long end, CancellationToken cancellationToken)
    {
        while (TotalSamples is null && _samples.End < end)
        {
            var needed = (int)Math.Min(end - _samples.End, ReadBlock);
            var read = await _reader!.ReadAsync(_samples.Reserve(needed), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                TotalSamples = _samples.End;
            }

            _samples.Commit(read);
        }
    }

    /// <summary>Forgets samples before absolute index <paramref name="sample"/>.</summary>
    public void DiscardBefore(long sample) => _samples.DiscardBefore(sample);
}
