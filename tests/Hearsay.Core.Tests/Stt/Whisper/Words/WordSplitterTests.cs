using Hearsay.Core.Stt.Whisper.Model;
using Hearsay.Core.Stt.Whisper.Words;
using Hearsay.Testing;

namespace Hearsay.Core.Tests.Stt.Whisper.Words;

public class WordSplitterTests
{
    private static readonly Lazy<WhisperTokenizer> Multilingual = new(() => WhisperTokenizer.Load(TestPaths.SharedFile("whisper", "multilingual.tiktoken")));

    private static List<string> Words(string text, string language)
    {
        var tokenizer = Multilingual.Value;
        var eot = tokenizer.TextTokenCount;
        return [.. WordSplitter.Split([.. tokenizer.Encode(text), eot], tokenizer, eot, language).Select(word => word.Word)];
    }

    [Fact]
    public void Split_SpacedLanguage_CutsAtSpacesAndPunctuation()
    {
        Assert.Equal([" Hello", ",", " wonderful", " world", ".", "<|endoftext|>"], Words(" Hello, wonderful world.", "en"));
    }

    [Fact]
    public void Split_WordOfSeveralTokens_KeepsThemTogether()
    {
        var tokenizer = Multilingual.Value;
        var eot = tokenizer.TextTokenCount;
        var tokens = tokenizer.Encode(" Grüße");
        Assert.True(tokens.Count > 1, "the word should need several tokens");

        var words = WordSplitter.Split([.. tokens, eot], tokenizer, eot, "de");

        Assert.Equal(" Grüße", words[0].Word);
        Assert.Equal(tokens, words[0].Tokens);
    }

    [Fact]
    public void Split_UnspacedLanguage_CutsAtCharacters()
    {
        var words = Words("東京は", "ja");

        Assert.Equal("東京は", string.Concat(words.SkipLast(1)));
        Assert.True(words.Count > 2, string.Join("|", words));
    }
}
