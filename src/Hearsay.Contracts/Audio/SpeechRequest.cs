namespace Hearsay.Contracts.Audio;

/// <summary>The JSON body of <c>POST /v1/audio/speech</c>, with OpenAI's fields.</summary>
/// <param name="Model"><c>tts-1</c>, <c>tts-1-hd</c>, <c>gpt-4o-mini-tts</c> (all: the configured voice) or a voice's catalog id.</param>
/// <param name="Input">The text, at most 4096 characters by default.</param>
/// <param name="Voice">An OpenAI voice name (<c>alloy</c>…), a catalog id, or a speaker of the configured voice.</param>
/// <param name="ResponseFormat"><c>wav</c> or <c>pcm</c> always; <c>mp3</c>, <c>opus</c>, <c>aac</c> and <c>flac</c> with ffmpeg. Default <c>mp3</c> when ffmpeg is there, else <c>wav</c>.</param>
/// <param name="Speed">0.25 to 4; default 1.</param>
/// <param name="StreamFormat"><c>audio</c> (the default: a chunked audio body) or <c>sse</c> (base64 audio in events).</param>
/// <param name="Instructions">OpenAI's speaking-style hint; Piper voices have no such control, so it is accepted and ignored.</param>
public sealed record SpeechRequest(
    string? Model,
    string? Input,
    string? Voice,
    string? ResponseFormat = null,
    double? Speed = null,
    string? StreamFormat = null,
    string? Instructions = null);

/// <summary>
/// A server-sent event of speech with <c>stream_format=sse</c>: <c>speech.audio.delta</c> with base64
/// <see cref="Audio"/>, then one <c>speech.audio.done</c> with <see cref="Usage"/>.
/// </summary>
/// <param name="Type">The event type.</param>
/// <param name="Audio">Base64 audio in the requested format (delta events).</param>
/// <param name="Usage">Counts for the request (the done event).</param>
public sealed record SpeechAudioEvent(string Type, string? Audio = null, SpeechUsage? Usage = null)
{
    /// <summary>The type of each piece of audio.</summary>
    public const string DeltaType = "speech.audio.delta";

    /// <summary>The type of the last event.</summary>
    public const string DoneType = "speech.audio.done";
}

/// <summary>OpenAI's usage block. Hearsay counts characters of input and samples of output as its "tokens".</summary>
/// <param name="InputTokens">Characters of input.</param>
/// <param name="OutputTokens">Samples of audio produced.</param>
/// <param name="TotalTokens">Their sum.</param>
public sealed record SpeechUsage(long InputTokens, long OutputTokens, long TotalTokens);
