using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Hearsay.Core.Models.Catalog;

/// <summary>
/// Reads the catalog format (<c>{"models":[…]}</c>) by hand, so that every error names the catalog, the model and the
/// field, and nothing a catalog says can escape the store: ids and file names are checked, hashes must be hex of the
/// right length, sizes positive.
/// </summary>
internal static partial class CatalogReader
{
    public static IReadOnlyList<CatalogModel> Read(ReadOnlySpan<byte> json, string origin)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw Invalid(origin, $"it is not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("models", out var models)
                || models.ValueKind != JsonValueKind.Array)
            {
                throw Invalid(origin, "expected an object with a \"models\" array");
            }

            var result = new List<CatalogModel>();
            var index = 0;
            foreach (var model in models.EnumerateArray())
            {
                result.Add(ReadModel(model, $"{origin}, model {index++}"));
            }

            var duplicate = result.GroupBy(model => model.Id, StringComparer.OrdinalIgnoreCase).FirstOrDefault(group => group.Count() > 1);
            return duplicate is null ? result : throw Invalid(origin, $"the id '{duplicate.Key}' appears more than once");
        }
    }

    /// <summary>Reads one model object (also the one an installed model's manifest keeps).</summary>
    internal static CatalogModel ReadModel(JsonElement model, string where)
    {
        if (model.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(where, "expected an object");
        }

        var id = RequiredString(model, "id", where);
        if (!ModelId.IsValid(id))
        {
            throw Invalid(where, $"'{id}' is not a valid model id");
        }

        where = $"{where} ('{id}')";
        var kind = RequiredString(model, "kind", where) switch
        {
            "stt" => ModelKind.Stt,
            "tts" => ModelKind.Tts,
            "vad" => ModelKind.Vad,
            var other => throw Invalid(where, $"kind '{other}' is not stt, tts or vad"),
        };
        var bundled = model.TryGetProperty("bundled", out var bundledValue) && bundledValue.ValueKind == JsonValueKind.True;
        var files = model.TryGetProperty("files", out var filesValue) && filesValue.ValueKind == JsonValueKind.Array
            ? filesValue.EnumerateArray().Select((file, i) => ReadFile(file, $"{where}, file {i}")).ToList()
            : throw Invalid(where, "\"files\" must be an array");
        if (files.Count == 0 && !bundled)
        {
            throw Invalid(where, "a model that is not bundled needs at least one file");
        }

        if (files.GroupBy(file => file.Path, StringComparer.OrdinalIgnoreCase).FirstOrDefault(group => group.Count() > 1) is { } twice)
        {
            throw Invalid(where, $"the file '{twice.Key}' is listed twice");
        }

        var languages = model.TryGetProperty("languages", out var languagesValue) && languagesValue.ValueKind == JsonValueKind.Array
            ? languagesValue.EnumerateArray().Select(language => language.GetString() ?? "").ToList()
            : [];
        return new CatalogModel(id, kind, RequiredString(model, "engine", where), languages, files)
        {
            Locale = OptionalString(model, "locale"),
            Quality = OptionalString(model, "quality"),
            License = OptionalString(model, "license") ?? "",
            LicenseNote = OptionalString(model, "license_note"),
            Description = OptionalString(model, "description"),
            Source = OptionalString(model, "source"),
            Speakers = model.TryGetProperty("speakers", out var speakers) && speakers.TryGetInt32(out var count) ? count : null,
            Bundled = bundled,
        };
    }

    private static CatalogFile ReadFile(JsonElement file, string where)
    {
        if (file.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(where, "expected an object");
        }

        var path = RequiredString(file, "path", where);
        if (!IsPlainFileName(path))
        {
            throw Invalid(where, $"'{path}' is not a plain file name");
        }

        where = $"{where} ('{path}')";
        var urlText = RequiredString(file, "url", where);
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http" or "file"))
        {
            throw Invalid(where, $"'{urlText}' is not an http(s) or file URL");
        }

        if (!file.TryGetProperty("size", out var sizeValue) || !sizeValue.TryGetInt64(out var size) || size <= 0)
        {
            throw Invalid(where, "\"size\" must be a positive number of bytes");
        }

        var sha256 = Hash(file, "sha256", 64, where);
        var md5 = Hash(file, "md5", 32, where);
        var sha1 = Hash(file, "sha1", 40, where);
        if (sha256 is null && md5 is null && sha1 is null)
        {
            throw Invalid(where, "a file needs a sha256 (or, where that is all the publisher records, an md5 or sha1)");
        }

        return new CatalogFile(path, url, size, sha256) { Md5 = md5, Sha1 = sha1 };
    }

    /// <summary>A name that stays inside the folder it is joined to, on every platform.</summary>
    internal static bool IsPlainFileName(string name) =>
        name.Length is > 0 and <= 255 && FileNamePattern().IsMatch(name) && PortableName.IsSafe(name);

    private static string? Hash(JsonElement file, string name, int hexLength, string where)
    {
        var value = OptionalString(file, name);
        return value is null ? null
            : value.Length == hexLength && value.All(char.IsAsciiHexDigit) ? value.ToLowerInvariant()
            : throw Invalid(where, $"\"{name}\" must be {hexLength} hexadecimal digits");
    }

    private static string RequiredString(JsonElement element, string name, string where) =>
        OptionalString(element, name) is { Length: > 0 } value ? value : throw Invalid(where, $"\"{name}\" is missing or empty");

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static HearsayException Invalid(string where, string problem, Exception? inner = null) =>
        new(HearsayErrorCode.ModelInvalid, string.Create(CultureInfo.InvariantCulture, $"Model catalog {where}: {problem}."), inner);

    // \z, not $: $ also matches before a final line break. A leading letter or digit also rules out "." and "..".
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._+-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();
}
