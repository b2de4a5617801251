using Hearsay.Core.Audio;

namespace Hearsay.Core.Tts;

/// <summary>A loaded text-to-speech voice.</summary>
public interface ITextToSpeechEngine : IDisposable
{
    /// <summary>Sample rate of the audio this engine produces.</summary>
    int SampleRate { get; }

    /// <summary>The voice's speakers: what <see cref="SpeakOptions.Speaker"/> may name.</summary>
    VoiceSpeakers Speakers { get; }

    /// <summary>
    /// Synthesizes <paramref name="text"/> sentence by sentence: each chunk is yielded as soon as its sentence is
    /// synthesized, and the next sentence is synthesized only when the caller asks for it. A sentence too long for
    /// one inference comes in several chunks with the same <see cref="AudioChunk.Index"/>.
    /// </summary>
    /// <exception cref="HearsayException">
    /// <see cref="HearsayErrorCode.InvalidInput"/> for empty text or invalid options (those name the option in
    /// <see cref="HearsayException.OptionName"/>: <see cref="SpeakOptions.Validate"/>, and the speaker as
    /// <see cref="Speakers"/> resolves it); other codes when a dependency or the model fails. Thrown when enumeration starts.
    /// </exception>
    IAsyncEnumerable<AudioChunk> SynthesizeAsync(string text, SpeakOptions? options = null, CancellationToken cancellationToken = default);
}
