using Hearsay.Core.Stt.Whisper.Model;
using Hearsay.Testing;

namespace Hearsay.Core.Tests.Stt.Whisper.Model;

public class WhisperTokenizerTests
{
    private static readonly Lazy<WhisperTokenizer> Gpt2 = new(() => WhisperTokenizer.Load(TestPaths.SharedFile("whisper", "gpt2.tiktoken")));
    private static readonly Lazy<WhisperTokenizer> Multilingual = new(() => WhisperTokenizer.Load(TestPaths.SharedFile("whisper", "multilingual.tiktoken")));

    [Fact]
    public void Load_RealVocabularies_CountTextTokens()
    {
        Assert.Equal(50256, Gpt2.Value.TextTokenCount);
        Assert.Equal(50257, Multilingual.Value.TextTokenCount);
    }

    [Theory]
    [InlineData("Hello world", new[] { 15496, 995 })]
    [InlineData(" Hello", new[] { 18435 })]
    [InlineData(" ", new[] { 220 })]
    public void Encode_Gpt2_GivesKnownIds(string text, int[] expected) =>
        Assert.Equal(expected, Gpt2.Value.Encode(text));

    [Theory]
    [InlineData("And so my fellow Americans, ask not what your country can do for you.")]
    [InlineData(" Grüße aus Köln — ça va? 東京 🙂")]
    [InlineData("  two  spaces\tand\nlines ")]
    public void Decode_OfEncode_RoundTrips(string text)
    {
        Assert.Equal(text, Gpt2.Value.Decode(Gpt2.Value.Encode(text)));
        Assert.Equal(text, Multilingual.Value.Decode(Multilingual.Value.Encode(text)));
    }

    [Fact]
    public void Decode_CharacterSplitAcrossTokens_JoinsBytesFirst()
    {
        var tokenizer = Gpt2.Value;
        var tokens = tokenizer.Encode("🙂");
        Assert.True(tokens.Count > 1, "the emoji should need several byte tokens");
        Assert.All(tokens, token => Assert.Contains('\uFFFD', tokenizer.Decode([token])));

        Assert.Equal("🙂", tokenizer.Decode(tokens));
    }

    [Fact]
    public void Decode_IncompleteCharacter_BecomesReplacementCharacter()
    {
        var tokens = Gpt2.Value.Encode("é");
        var bytes = tokens.SelectMany(token => Gpt2.Value.BytesOf(token).ToArray()).ToArray();
        Assert.Equal(2, bytes.Length);

        Assert.Equal("a\uFFFD", Gpt2.Value.Decode([.. Gpt2.Value.Encode("a"), FirstByteToken(bytes[0])]));
    }

    [Fact]
    public void Decode_SpecialAndTimestampIds_AreSkipped() =>
        Assert.Equal(" Hello", Gpt2.Value.Decode([50257, 50363, 18435, 50400, 50256]));

    [Fact]
    public void Load_MalformedLine_NamesTheLine()
    {
        using var directory = new TemporaryDirectory();
        var path = Path.Combine(directory.Path, "tokens.txt");
        File.WriteAllLines(path, ["IQ== 0", "not-a-token-line"]);

        var error = Assert.Throws<ModelLoadException>(() => WhisperTokenizer.Load(path));
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    private static int FirstByteToken(byte value)
    {
        for (var id = 0; id < Gpt2.Value.TextTokenCount; id++)
        {
            if (Gpt2.Value.BytesOf(id).SequenceEqual([value]))
            {
                return id;
            }
        }

        throw new InvalidOperationException("no single-byte token");
    }
}
