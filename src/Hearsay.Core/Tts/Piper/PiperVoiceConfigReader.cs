using System.Collections.Frozen;
using System.Text;
using System.Text.Json;

namespace Hearsay.Core.Tts.Piper;

/// <summary>Parses <c>VOICE.onnx.json</c> by hand so every problem names the setting and the file.</summary>
internal static class PiperVoiceConfigReader
{
    /// <summary>Larger than any real voice config (they are about 5 KB); guards against reading a model by mistake.</summary>
    private const long MaxConfigBytes = 4 * 1024 * 1024;

    public static PiperVoiceConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fullPath = Path.GetFullPath(path);
        string json;
        try
        {
            var info = new FileInfo(fullPath);
            if (!info.Exists)
            {
                throw new ModelLoadException(HearsayErrorCode.ModelNotFound, fullPath, "voice config not found");
            }

            if (info.Length > MaxConfigBytes)
            {
                throw Invalid(fullPath, $"is {info.Length} bytes, too large for a voice config (is it the .onnx model?)");
            }

            json = File.ReadAllText(fullPath, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Invalid(fullPath, $"cannot be read: {e.Message}", e);
        }

        return Parse(json, fullPath);
    }

    public static PiperVoiceConfig Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw Invalid(source, $"is not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(source, "must be a JSON object");
            }

            var phonemeType = OptionalString(root, source, "phoneme_type") ?? "espeak";
            if (phonemeType != "espeak")
            {
                throw Invalid(source, $"phoneme_type '{phonemeType}' is not supported (only 'espeak')");
            }

            var speakerCount = OptionalInt(root, source, "num_speakers") ?? 1;
            if (speakerCount < 1)
            {
                throw Invalid(source, "num_speakers must be at least 1");
            }

            var inference = OptionalObject(root, source, "inference");
            var audio = RequiredObject(root, source, "audio");
            var sampleRate = OptionalInt(audio, source, "audio.sample_rate", "sample_rate")
                ?? throw Invalid(source, "audio.sample_rate is missing");
            if (sampleRate is < 1000 or > 384_000)
            {
                throw Invalid(source, $"audio.sample_rate {sampleRate} is not a plausible sample rate");
            }

            var espeak = RequiredObject(root, source, "espeak");
            return new PiperVoiceConfig
            {
                SampleRate = sampleRate,
                EspeakVoice = OptionalString(espeak, source, "espeak.voice", "voice") is { Length: > 0 } voice
                    ? voice
                    : throw Invalid(source, "espeak.voice is missing"),
                PhonemeIdMap = ReadPhonemeIdMap(root, source),
                NoiseScale = OptionalScale(inference, source, "noise_scale") ?? PiperVoiceConfig.DefaultNoiseScale,
                LengthScale = OptionalScale(inference, source, "length_scale") ?? PiperVoiceConfig.DefaultLengthScale,
                NoiseW = OptionalScale(inference, source, "noise_w") ?? PiperVoiceConfig.DefaultNoiseW,
                SpeakerCount = speakerCount,
                SpeakerIds = ReadSpeakerIds(root, source, speakerCount),
                LanguageCode = OptionalObject(root, source, "language") is { } language
                    ? OptionalString(language, source, "language.code", "code")
                    : null,
                Quality = OptionalString(audio, source, "audio.quality", "quality"),
            };
        }
    }

    private static FrozenDictionary<int, long[]> ReadPhonemeIdMap(JsonElement root, string source)
    {
        var map = RequiredObject(root, source, "phoneme_id_map");
        var result = new Dictionary<int, long[]>();
        foreach (var entry in map.EnumerateObject())
        {
            // Piper looks phonemes up one code point at a time, so longer keys can never match.
            if (!Rune.TryGetRuneAt(entry.Name, 0, out var rune) || rune.Utf16SequenceLength != entry.Name.Length)
            {
                continue;
            }

            if (entry.Value.ValueKind != JsonValueKind.Array || entry.Value.GetArrayLength() == 0)
            {
                throw Invalid(source, $"phoneme_id_map['{entry.Name}'] must be a non-empty array of ids");
            }

            var ids = new long[entry.Value.GetArrayLength()];
            var i = 0;
            foreach (var id in entry.Value.EnumerateArray())
            {
                if (id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out ids[i]) || ids[i] < 0)
                {
                    throw Invalid(source, $"phoneme_id_map['{entry.Name}'] holds '{id}', which is not a phoneme id");
                }

                i++;
            }

            result[rune.Value] = ids;
        }

        foreach (var (symbol, role) in new[] { ('^', "beginning of sentence"), ('_', "padding"), ('$', "end of sentence") })
        {
            if (!result.ContainsKey(symbol))
            {
                throw Invalid(source, $"phoneme_id_map lacks '{symbol}' ({role})");
            }
        }

        return result.ToFrozenDictionary();
    }

    private static FrozenDictionary<string, int> ReadSpeakerIds(JsonElement root, string source, int speakerCount)
    {
        if (OptionalObject(root, source, "speaker_id_map") is not { } map)
        {
            return FrozenDictionary<string, int>.Empty;
        }

        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in map.EnumerateObject())
        {
            if (!entry.Value.TryGetInt32(out var id) || id < 0 || id >= speakerCount)
            {
                throw Invalid(source, $"speaker_id_map['{entry.Name}'] must be an id from 0 to {speakerCount - 1}");
            }

            result[entry.Name] = id;
        }

        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static float? OptionalScale(JsonElement? inference, string source, string name)
    {
        if (inference is not { } section || !section.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetSingle(out var scale) || !float.IsFinite(scale) || scale < 0)
        {
            throw Invalid(source, $"inference.{name} must be a non-negative number");
        }

        return scale;
    }

    private static JsonElement RequiredObject(JsonElement parent, string source, string name) =>
        OptionalObject(parent, source, name) ?? throw Invalid(source, $"{name} is missing");

    private static JsonElement? OptionalObject(JsonElement parent, string source, string name)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw Invalid(source, $"{name} must be an object");
    }

    private static string? OptionalString(JsonElement parent, string source, string path, string? name = null)
    {
        if (!parent.TryGetProperty(name ?? path, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid(source, $"{path} must be a string");
    }

    private static int? OptionalInt(JsonElement parent, string source, string path, string? name = null)
    {
        if (!parent.TryGetProperty(name ?? path, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw Invalid(source, $"{path} must be an integer, not {value.GetRawText()}");
    }

    private static ModelLoadException Invalid(string source, string problem, Exception? inner = null) =>
        new(HearsayErrorCode.ModelInvalid, source, problem, inner);
}
