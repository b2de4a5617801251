namespace Hearsay.Core.Stt;

/// <summary>One segment, with exactly the fields of OpenAI's <c>verbose_json</c> segment.</summary>
/// <param name="Id">Position in the transcription, from 0.</param>
/// <param name="Seek">Offset of the window the segment came from, in 10 ms frames of the input.</param>
/// <param name="Start">Start in seconds on the input's timeline.</param>
/// <param name="End">End in seconds on the input's timeline.</param>
/// <param name="Text">The text, with its leading space as Whisper produces it.</param>
/// <param name="Tokens">The segment's token ids, timestamps included.</param>
/// <param name="Temperature">Temperature of the decoding that produced it.</param>
/// <param name="AvgLogprob">Average log-probability of the window's tokens.</param>
/// <param name="CompressionRatio">zlib compression ratio of the window's text.</param>
/// <param name="NoSpeechProb">Probability that the window holds no speech.</param>
public sealed record TranscriptionSegment(
    int Id,
    long Seek,
    double Start,
    double End,
    string Text,
    IReadOnlyList<int> Tokens,
    double Temperature,
    double AvgLogprob,
    double CompressionRatio,
    double NoSpeechProb)
{
    /// <summary>The segment's words, when <see cref="TranscribeOptions.WordTimestamps"/> asked for them.</summary>
    /// <value>Empty otherwise, and for a segment Whisper emptied.</value>
    public IReadOnlyList<TranscriptionWord> Words { get; init; } = [];
}

/// <summary>One word with its time, as OpenAI's <c>verbose_json</c> <c>words[]</c> holds it.</summary>
/// <param name="Word">The word as Whisper wrote it: a leading space when one precedes it, punctuation attached.</param>
/// <param name="Start">Start in seconds on the input's timeline.</param>
/// <param name="End">End in seconds on the input's timeline.</param>
public sealed record TranscriptionWord(string Word, double Start, double End);
