namespace Hearsay.Core.Stt.Whisper.Words;

/// <summary>
/// Attaches punctuation to its neighbours (OpenAI's <c>merge_punctuations</c>): an opening mark after a space joins
/// the word after it, a closing mark joins the word before it. The emptied words stay in the list (empty text, no
/// tokens) so that token counts still line up with the segments; they are dropped when words are assigned.
/// </summary>
internal static class PunctuationMerger
{
    /// <summary>OpenAI's <c>prepend_punctuations</c> default.</summary>
    public const string Prepended = "\"'“¿([{-";

    /// <summary>OpenAI's <c>append_punctuations</c> default.</summary>
    public const string Appended = "\"'.。,，!！?？:：”)]}、";

    public static void Merge(List<TimedWord> words)
    {
        // As OpenAI's, these are substring tests of the mark sets ("" and "([" count as marks).
        for (int i = words.Count - 2, j = words.Count - 1; i >= 0; i--)
        {
            var (previous, following) = (words[i], words[j]);
            if (previous.Word.StartsWith(' ') && Prepended.Contains(previous.Word.Trim(), StringComparison.Ordinal))
            {
                following.Word = previous.Word + following.Word;
                following.Tokens = [.. previous.Tokens, .. following.Tokens];
                previous.Word = string.Empty;
                previous.Tokens = [];
            }
            else
            {
                j = i;
            }
        }

        for (int i = 0, j = 1; j < words.Count; j++)
        {
            var (previous, following) = (words[i], words[j]);
            if (!previous.Word.EndsWith(' ') && Appended.Contains(following.Word, StringComparison.Ordinal))
            {
                previous.Word += following.Word;
                previous.Tokens = [.. previous.Tokens, .. following.Tokens];
                following.Word = string.Empty;
                following.Tokens = [];
            }
            else
            {
                i = j;
            }
        }
    }
}
