using Hearsay.Core.Audio.Input;

namespace Hearsay.Core.Stt;

/// <summary>Speech-to-text: audio in, timed text segments out.</summary>
public interface ISpeechToTextEngine : IDisposable
{
    /// <summary>Yields segments as they are decoded; language and position arrive through <paramref name="progress"/>.</summary>
    /// <param name="audio">The input, mono at the engine's rate (16 kHz for Whisper).</param>
    /// <param name="options">Language, task, prompt, thresholds; null for the defaults.</param>
    /// <param name="progress">Told after each window; may be null.</param>
    /// <param name="cancellationToken">Stops the running inference.</param>
    IAsyncEnumerable<TranscriptionSegment> StreamAsync(
        MonoAudioReader audio,
        TranscribeOptions? options = null,
        IProgress<TranscriptionProgress>? progress = null,
        CancellationToken cancellationToken = default);

    /// <summary>Transcribes the whole input.</summary>
    Task<Transcription> TranscribeAsync(
        MonoAudioReader audio,
        TranscribeOptions? options = null,
        IProgress<TranscriptionProgress>? progress = null,
        CancellationToken cancellationToken = default);
}
