using System.Text.Json;

namespace Hearsay.Core.Models.Catalog;

/// <summary>Writes a model in the catalog's own format: for installed-model manifests and exported models.</summary>
internal static class CatalogWriter
{
    public static void WriteModel(Utf8JsonWriter writer, CatalogModel model)
    {
        writer.WriteStartObject();
        writer.WriteString("id", model.Id);
        writer.WriteString("kind", model.Kind.ToString().ToLowerInvariant());
        writer.WriteString("engine", model.Engine);
        writer.WriteStartArray("languages");
        foreach (var language in model.Languages)
        {
            writer.WriteStringValue(language);
        }

        writer.WriteEndArray();
        WriteIfSet(writer, "locale", model.Locale);
        WriteIfSet(writer, "quality", model.Quality);
        writer.WriteNumber("size_bytes", model.SizeBytes);
        writer.WriteString("license", model.License);
        WriteIfSet(writer, "license_note", model.LicenseNote);
        WriteIfSet(writer, "description", model.Description);
        WriteIfSet(writer, "source", model.Source);
        if (model.Speakers is { } speakers)
        {
            writer.WriteNumber("speakers", speakers);
        }

        if (model.Bundled)
        {
            writer.WriteBoolean("bundled", true);
        }

        writer.WriteStartArray("files");
        foreach (var file in model.Files)
        {
            writer.WriteStartObject();
            writer.WriteString("path", file.Path);
            writer.WriteString("url", file.Url.AbsoluteUri);
            writer.WriteNumber("size", file.Size);
            WriteIfSet(writer, "sha256", file.Sha256);
            WriteIfSet(writer, "md5", file.Md5);
            WriteIfSet(writer, "sha1", file.Sha1);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
