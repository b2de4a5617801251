using System.Text;
using System.Text.RegularExpressions;

namespace Hearsay.Core.Stt.Whisper.Model;

/// <summary>
/// Whisper's byte-level BPE vocabulary, read from a tiktoken-format tokens file (<c>&lt;base64 bytes&gt; &lt;id&gt;</c>
/// per line), as sherpa-onnx and OpenAI ship it. Decoding joins the tokens' bytes before turning them into UTF-8, so a
/// character split across tokens comes out whole; bytes that never form a valid character become U+FFFD, as
/// tiktoken's <c>errors="replace"</c> does.
/// </summary>
internal sealed partial class WhisperTokenizer
{
    private readonly byte[][] _tokenBytes;
    private readonly Dictionary<string, int> _ranks;

    private WhisperTokenizer(byte[][] tokenBytes, Dictionary<string, int> ranks)
    {
        _tokenBytes = tokenBytes;
        _ranks = ranks;
    }

    /// <summary>Number of ordinary (text) tokens; the first special token, end-of-text, follows them.</summary>
    public int TextTokenCount => _tokenBytes.Length;

    /// <summary>Loads a tokens file.</summary>
    /// <exception cref="ModelLoadException">The file is missing or malformed; the message names the line.</exception>
    public static WhisperTokenizer Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelLoadException(HearsayErrorCode.ModelNotFound, path, "tokens file not found");
        }

        var byId = new SortedDictionary<int, byte[]>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            if (space <= 0 || !int.TryParse(line.AsSpan(space + 1), out var id) || id < 0 || !TryDecodeBase64(line[..space], out var bytes))
            {
                throw new ModelLoadException(HearsayErrorCode.ModelInvalid, path, $"line {lineNumber} is not '<base64> <id>'");
            }

            if (!byId.TryAdd(id, bytes))
            {
                throw new ModelLoadException(HearsayErrorCode.ModelInvalid, path, $"line {lineNumber} repeats id {id}");
            }
        }

        if (byId.Count == 0 || byId.Keys.Last() != byId.Count - 1)
        {
            throw new ModelLoadException(HearsayErrorCode.ModelInvalid, path, "token ids must run from 0 without gaps");
        }

        var tokenBytes = byId.Values.ToArray();
        var ranks = new Dictionary<string, int>(tokenBytes.Length, StringComparer.Ordinal);
        for (var id = 0; id < tokenBytes.Length; id++)
        {
            ranks[Latin1(tokenBytes[id])] = id;
        }

        return new WhisperTokenizer(tokenBytes, ranks);
    }

    /// <summary>The bytes of text token <paramref name="id"/>.</summary>
    public ReadOnlySpan<byte> BytesOf(int id) => _tokenBytes[id];

    /// <summary>Decodes text tokens; ids outside the text vocabulary (special and timestamp tokens) are skipped.</summary>
    public string Decode(IEnumerable<int> tokens)
    {
        var bytes = new List<byte>();
        foreach (var token in tokens)
        {
            if (token >= 0 && token < _tokenBytes.Length)
            {
                bytes.AddRange(_tokenBytes[token]);
            }
        }

        return Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
    }

    /// <summary>Encodes text with GPT-2's pre-tokenizer and byte-pair merges by rank, as tiktoken does.</summary>
    /// <remarks>O(n log n) in the text's length, whatever the text (<see cref="BytePairMerge"/>).</remarks>
    public IReadOnlyList<int> Encode(string text, CancellationToken cancellationToken = default)
    {
        var tokens = new List<int>();
        var ranks = new Ranks(_ranks.GetAlternateLookup<ReadOnlySpan<char>>());
        foreach (var match in PreTokenizer().EnumerateMatches(text))
        {
            cancellationToken.ThrowIfCancellationRequested();
            // The merge works on the piece's UTF-8 bytes, one Latin-1 character per byte as the ranks are keyed.
            var bytes = Encoding.Latin1.GetChars(Encoding.UTF8.GetBytes(text, match.Index, match.Length));
            BytePairMerge.Encode(bytes, ranks, tokens, cancellationToken);
        }

        return tokens;
    }

    private static string Latin1(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    private static bool TryDecodeBase64(string text, out byte[] bytes)
    {
        // multilingual.tiktoken ends with "=", an empty token, which Python's b64decode accepts.
        if (text.Length > 0 && text.All(c => c == '='))
        {
            bytes = [];
            return true;
        }

        bytes = new byte[((text.Length + 3) / 4) * 3];
        if (Convert.TryFromBase64String(text, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }

    private readonly struct Ranks(Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup) : ITokenRanks
    {
        public bool TryGetRank(ReadOnlySpan<char> bytes, out int rank) => lookup.TryGetValue(bytes, out rank);
    }

    // GPT-2's pattern, which both of Whisper's vocabularies use.
    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+", RegexOptions.CultureInvariant)]
    private static partial Regex PreTokenizer();
}
