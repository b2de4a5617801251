using System.Globalization;

namespace Hearsay.Core.Stt.Whisper.Model;

/// <summary>One cross-attention head of the text decoder: <paramref name="Layer"/> and <paramref name="Head"/> from 0.</summary>
internal readonly record struct AlignmentHead(int Layer, int Head);

/// <summary>
/// The decoder's cross-attention heads whose weights follow the speech in time, which word timestamps are aligned
/// with. In order: the encoder metadata's <c>alignment_heads</c> (<c>layer:head,…</c>, Hearsay's own key: sherpa-onnx
/// writes none), then the sets OpenAI publishes per model (its <c>_ALIGNMENT_HEADS</c>, looked up by the
/// <c>model_type</c> sherpa-onnx writes, <c>whisper-tiny.en</c>), then OpenAI's default for a model it has no set for:
/// every head of the upper half of the layers.
/// </summary>
internal static class AlignmentHeads
{
    /// <summary>The metadata key.</summary>
    public const string MetadataKey = "alignment_heads";

    // OpenAI's whisper/__init__.py, decoded from its base85 masks into (layer, head) pairs.
    private static readonly Dictionary<string, string> Published = new(StringComparer.Ordinal)
    {
        ["tiny.en"] = "1:0,2:0,2:5,3:0,3:1,3:2,3:3,3:4",
        ["tiny"] = "2:2,3:0,3:2,3:3,3:4,3:5",
        ["base.en"] = "3:3,4:7,5:1,5:5,5:7",
        ["base"] = "3:1,4:2,4:3,4:7,5:1,5:2,5:4,5:6",
        ["small.en"] = "6:6,7:0,7:3,7:8,8:2,8:5,8:7,9:0,9:4,9:8,9:10,10:0,10:1,10:2,10:3,10:6,10:11,11:2,11:4",
        ["small"] = "5:3,5:9,8:0,8:4,8:7,8:8,9:0,9:7,9:9,10:5",
        ["medium.en"] = "11:4,14:1,14:12,14:14,15:4,16:0,16:4,16:9,17:12,17:14,18:7,18:10,18:15,20:0,20:3,20:9,20:14,21:12",
        ["medium"] = "13:15,15:4,15:15,16:1,20:0,23:4",
        ["large-v1"] = "9:19,11:2,11:4,11:17,22:7,22:11,22:17,23:2,23:15",
        ["large-v2"] = "10:12,13:17,16:11,16:12,16:13,17:15,17:16,18:4,18:11,18:19,19:11,21:2,21:3,22:3,22:9,22:12,23:5,23:7,23:13,25:5,26:1,26:12,27:15",
        ["large-v3"] = "7:0,10:17,12:18,13:12,16:1,17:14,19:11,21:4,24:1,25:6",
        ["large"] = "7:0,10:17,12:18,13:12,16:1,17:14,19:11,21:4,24:1,25:6",
        ["large-v3-turbo"] = "2:4,2:11,3:3,3:6,3:11,3:14",
        ["turbo"] = "2:4,2:11,3:3,3:6,3:11,3:14",
    };

    /// <summary>The heads of a model with <paramref name="layers"/> decoder layers of <paramref name="heads"/> heads.</summary>
    /// <param name="declared">The metadata's value, or null.</param>
    /// <param name="modelType">The metadata's <c>model_type</c>.</param>
    /// <param name="layers">Decoder layers.</param>
    /// <param name="heads">Heads per layer.</param>
    /// <exception cref="FormatException"><paramref name="declared"/> is malformed or names a head the model lacks.</exception>
    public static IReadOnlyList<AlignmentHead> Resolve(string? declared, string modelType, int layers, int heads)
    {
        if (declared is not null)
        {
            return Parse(declared, layers, heads);
        }

        var name = modelType.StartsWith("whisper-", StringComparison.Ordinal) ? modelType["whisper-".Length..] : modelType;
        // A published set only fits the shape it was found for; a model of another shape under the same name gets the default.
        if (Published.TryGetValue(name, out var published) && TryParse(published, layers, heads, out var table))
        {
            return table;
        }

        var upperHalf = new List<AlignmentHead>();
        for (var layer = layers / 2; layer < layers; layer++)
        {
            for (var head = 0; head < heads; head++)
            {
                upperHalf.Add(new AlignmentHead(layer, head));
            }
        }

        return upperHalf;
    }

    /// <summary>Parses <c>layer:head,…</c>.</summary>
    /// <exception cref="FormatException">Malformed, empty, or out of the model's shape.</exception>
    public static IReadOnlyList<AlignmentHead> Parse(string text, int layers, int heads) =>
        TryParse(text, layers, heads, out var parsed)
            ? parsed
            : throw new FormatException($"'{text}' is not a list of layer:head pairs within {layers} layers of {heads} heads");

    private static bool TryParse(string text, int layers, int heads, out IReadOnlyList<AlignmentHead> parsed)
    {
        var list = new List<AlignmentHead>();
        parsed = list;
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = item.Split(':');
            if (parts.Length != 2 ||
                !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var layer) ||
                !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var head) ||
                layer >= layers || head >= heads)
            {
                return false;
            }

            list.Add(new AlignmentHead(layer, head));
        }

        return list.Count > 0;
    }
}
