namespace Hearsay.Core.Stt.Whisper.Words;

/// <summary>A word while it is aligned: its text (leading space included, as Whisper writes it), its tokens, and its
/// times in seconds. Mutable: punctuation is moved between neighbours and times are clamped in place.</summary>
internal sealed class TimedWord(string word, List<int> tokens)
{
    public string Word { get; set; } = word;

    public List<int> Tokens { get; set; } = tokens;

    public double Start { get; set; }

    public double End { get; set; }
}
