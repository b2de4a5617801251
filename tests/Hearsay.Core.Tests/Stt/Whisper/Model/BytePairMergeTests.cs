using System.Text;
using Hearsay.Core.Stt.Whisper.Model;
using Hearsay.Testing;

namespace Hearsay.Core.Tests.Stt.Whisper.Model;

public class BytePairMergeTests
{
    private static readonly Lazy<Dictionary<string, int>> Gpt2 = new(() => ReadRanks("gpt2.tiktoken"));
    private static readonly Lazy<Dictionary<string, int>> Multilingual = new(() => ReadRanks("multilingual.tiktoken"));

    [Fact]
    public void Encode_RandomPiecesOverARandomVocabulary_MatchTheRescanningMerge()
    {
        // Few letters and many short tokens: the same pair recurs along a piece (equal ranks, leftmost first), and
        // merges overlap in long chains, which is where a queued pair goes stale.
        var random = new Random(7);
        for (var vocabulary = 0; vocabulary < 20; vocabulary++)
        {
            var ranks = RandomVocabulary(random, "abc", tokens: 40);
            for (var piece = 0; piece < 200; piece++)
            {
                var text = RandomText(random, "abc", random.Next(1, 80));

                Assert.Equal(RescanningMerge(text, ranks), Merge(text, new Ranks(ranks)));
            }
        }
    }

    [Theory]
    [InlineData("gpt2")]
    [InlineData("multilingual")]
    public void Encode_HostileAndRandomPiecesOverTheRealVocabulary_MatchTheRescanningMerge(string vocabulary)
    {
        var ranks = vocabulary == "gpt2" ? Gpt2.Value : Multilingual.Value;
        var random = new Random(11);
        var texts = HostilePrompts.All(1000).Select(item => item.Text)
            .Concat(Enumerable.Range(0, 300).Select(_ => RandomText(random, "etaoin shrdlu ETAOIN 0123 .,!? äöüéçñ 東京日本 🙂", random.Next(1, 120))));

        foreach (var text in texts)
        {
            var piece = Latin1Bytes(text);

            Assert.Equal(RescanningMerge(piece, ranks), Merge(piece, new Ranks(ranks)));
        }
    }

    [Fact]
    public void Encode_HostilePieces_LookUpAtMostFourRanksPerByte()
    {
        // The bound that makes the merge O(n log n): each lookup is followed by at most one queue operation. The
        // rescanning merge looked up every remaining pair after each merge: about n²/2 on these pieces.
        foreach (var length in new[] { 20_000, 200_000 })
        {
            foreach (var (kind, text) in HostilePrompts.All(length))
            {
                var piece = Latin1Bytes(text);
                var ranks = new Ranks(Gpt2.Value);

                Merge(piece, ranks);

                Assert.True(ranks.Lookups <= (4L * piece.Length) + 1, $"{kind}, {piece.Length} bytes: {ranks.Lookups} lookups");
            }
        }
    }

    [Fact]
    public void Encode_CancelledDuringALongPiece_Throws()
    {
        var piece = Latin1Bytes(new string('a', 200_000));
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.Throws<OperationCanceledException>(() => BytePairMerge.Encode(piece, new Ranks(Gpt2.Value), [], cancellation.Token));
    }

    /// <summary>
    /// The merge as tiktoken defines it, and as WhisperTokenizer first did it: a piece that is a token is that token;
    /// else rescan every adjacent pair and merge the leftmost of the lowest rank, until no pair is a token.
    /// </summary>
    private static List<int> RescanningMerge(string piece, Dictionary<string, int> ranks)
    {
        if (ranks.TryGetValue(piece, out var whole))
        {
            return [whole];
        }

        var parts = piece.Select(c => c.ToString()).ToList();
        while (true)
        {
            var best = -1;
            var bestRank = int.MaxValue;
            for (var i = 0; i < parts.Count - 1; i++)
            {
                if (ranks.TryGetValue(parts[i] + parts[i + 1], out var rank) && rank < bestRank)
                {
                    (best, bestRank) = (i, rank);
                }
            }

            if (best < 0)
            {
                return parts.Select(part => ranks[part]).ToList();
            }

            parts[best] += parts[best + 1];
            parts.RemoveAt(best + 1);
        }
    }

    private static List<int> Merge(string piece, Ranks ranks)
    {
        var tokens = new List<int>();
        BytePairMerge.Encode(piece, ranks, tokens, CancellationToken.None);
        return tokens;
    }

    /// <summary>Every byte, then random strings over <paramref name="letters"/> with random distinct ranks.</summary>
    private static Dictionary<string, int> RandomVocabulary(Random random, string letters, int tokens)
    {
        var strings = Enumerable.Range(0, 256).Select(b => ((char)b).ToString()).ToHashSet();
        while (strings.Count < 256 + tokens)
        {
            strings.Add(RandomText(random, letters, random.Next(2, 7)));
        }

        var ranks = Enumerable.Range(0, strings.Count).OrderBy(_ => random.Next()).ToArray();
        return strings.Select((text, i) => (text, i)).ToDictionary(item => item.text, item => ranks[item.i]);
    }

    private static string RandomText(Random random, string letters, int length)
    {
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(letters);
        var characters = new List<string>();
        while (elements.MoveNext())
        {
            characters.Add(elements.GetTextElement());
        }

        return string.Concat(Enumerable.Range(0, length).Select(_ => characters[random.Next(characters.Count)]));
    }

    private static string Latin1Bytes(string text) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));

    /// <summary>A tiktoken file's ranks, keyed by the token's bytes as Latin-1 characters.</summary>
    private static Dictionary<string, int> ReadRanks(string file) =>
        File.ReadLines(TestPaths.SharedFile("whisper", file))
            .Select(line => line.Split(' '))
            .Where(fields => fields[0].Trim('=').Length > 0)
            .ToDictionary(fields => Encoding.Latin1.GetString(Convert.FromBase64String(fields[0])), fields => int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Ranks that count how often they are asked.</summary>
    private sealed class Ranks(Dictionary<string, int> ranks) : ITokenRanks
    {
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup = ranks.GetAlternateLookup<ReadOnlySpan<char>>();

        public long Lookups { get; private set; }

        public bool TryGetRank(ReadOnlySpan<char> bytes, out int rank)
        {
            Lookups++;
            return _lookup.TryGetValue(bytes, out rank);
        }
    }
}
