namespace Hearsay.Contracts.Audio;

/// <summary>The <c>json</c> response of a transcription or translation: <c>{"text": "…"}</c>.</summary>
/// <param name="Text">The whole text.</param>
public sealed record TranscriptionText(string Text);

/// <summary>The <c>verbose_json</c> response, as OpenAI shapes it.</summary>
/// <param name="Task"><c>transcribe</c> or <c>translate</c>.</param>
/// <param name="Language">The language's English name in lower case (<c>english</c>), as OpenAI reports it.</param>
/// <param name="Duration">Length of the input in seconds.</param>
/// <param name="Text">The whole text.</param>
/// <param name="Segments">The segments in order.</param>
/// <param name="Words">Every word in order, when <c>timestamp_granularities[]=word</c> asked for them; left out otherwise.</param>
public sealed record VerboseTranscription(
    string Task, string Language, double Duration, string Text, IReadOnlyList<TranscriptionSegmentInfo> Segments, IReadOnlyList<TranscriptionWordInfo>? Words = null);

/// <summary>One <c>verbose_json</c> word, with OpenAI's three fields.</summary>
/// <param name="Word">The word, without the space before it; punctuation stays attached.</param>
/// <param name="Start">Start in seconds.</param>
/// <param name="End">End in seconds.</param>
public sealed record TranscriptionWordInfo(string Word, double Start, double End);

/// <summary>One <c>verbose_json</c> segment with OpenAI's ten fields.</summary>
/// <param name="Id">Position from 0.</param>
/// <param name="Seek">Offset of the window the segment came from, in 10 ms frames.</param>
/// <param name="Start">Start in seconds.</param>
/// <param name="End">End in seconds.</param>
/// <param name="Text">The text, with Whisper's leading space.</param>
/// <param name="Tokens">Token ids, timestamps included.</param>
/// <param name="Temperature">Temperature of the decoding that produced it.</param>
/// <param name="AvgLogprob">Average log-probability of the window's tokens.</param>
/// <param name="CompressionRatio">zlib compression ratio of the window's text.</param>
/// <param name="NoSpeechProb">Probability that the window holds no speech.</param>
public sealed record TranscriptionSegmentInfo(
    int Id,
    long Seek,
    double Start,
    double End,
    string Text,
    IReadOnlyList<int> Tokens,
    double Temperature,
    double AvgLogprob,
    double CompressionRatio,
    double NoSpeechProb);

/// <summary>
/// A server-sent event of a streamed transcription (<c>stream=true</c>): <c>transcript.text.delta</c> with
/// <see cref="Delta"/> for each segment, then one <c>transcript.text.done</c> with the whole <see cref="Text"/>.
/// </summary>
/// <param name="Type">The event type.</param>
/// <param name="Delta">New text (delta events).</param>
/// <param name="Text">The whole text (the done event).</param>
public sealed record TranscriptTextEvent(string Type, string? Delta = null, string? Text = null)
{
    /// <summary>The type of each new piece of text.</summary>
    public const string DeltaType = "transcript.text.delta";

    /// <summary>The type of the last event.</summary>
    public const string DoneType = "transcript.text.done";
}
