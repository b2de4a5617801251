using Hearsay.Core.Audio;

namespace Hearsay.Core.Tts;

/// <summary>A loaded text-to-speech voice.</summary>
public interface ITextToSpeechEngine : IDisposable
{
    /// <summary>Sample rate of the audio this engine produces.</summary>
    int SampleRate { get; }

    /// <summary>
    /// Synthesizes <paramref name="text"/> sentence by sentence: each chunk is yielded as soon as its sentence is
    /// synthesized, and the next sentence is synthesized only when the caller asks for it.
    /// </summary>
    /// <exception cref="HearsayException">
    /// <see cref="HearsayErrorCode.InvalidInput"/> for empty text or invalid options; other codes when a dependency or
    /// the model fails. Thrown when enumeration starts.
    /// </exception>
    IAsyncEnumerable<AudioChunk> SynthesizeAsync(string text, SpeakOptions? options = null, CancellationToken cancellationToken = default);
}
