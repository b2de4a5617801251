namespace Hearsay.Core.Stt.Whisper.Words;

/// <summary>A segment of a window while its words are added: its times (seconds on the window's audio timeline,
/// refined in place), its text tokens, and the words it gets.</summary>
internal sealed class SegmentWords(double start, double end, IReadOnlyList<int> textTokens)
{
    public double Start { get; set; } = start;

    public double End { get; set; } = end;

    public IReadOnlyList<int> TextTokens { get; } = textTokens;

    public List<TimedWord> Words { get; } = [];
}
