using System.Globalization;
using System.Text.Json;
using Hearsay.Core.Models.Catalog;

namespace Hearsay.Core.Models.Store;

/// <summary>
/// The small file written last into a model's folder once every file has been verified. Its presence is what makes a
/// model installed, so start-up never re-hashes gigabytes, and a crash before it leaves a model that is simply not
/// installed yet.
/// </summary>
internal static class InstalledManifest
{
    public const string FileName = ".hearsay-model.json";

    public static InstalledModel? TryRead(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            var model = CatalogReader.ReadModel(root.GetProperty("model"), path);
            var installedAt = DateTimeOffset.Parse(root.GetProperty("installed_at").GetString()!, CultureInfo.InvariantCulture);
            return new InstalledModel(model, folder, installedAt);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or HearsayException or IOException)
        {
            // A damaged manifest means the model must be installed again; it is not an error of the store as a whole.
            return null;
        }
    }

    /// <summary>Writes the manifest atomically (a temporary file renamed over it).</summary>
    public static InstalledModel Write(string folder, CatalogModel model, TimeProvider time)
    {
        var installedAt = time.GetUtcNow();
        var temporary = Path.Combine(folder, FileName + ".tmp");
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("format", 1);
            writer.WriteString("installed_at", installedAt.ToString("O", CultureInfo.InvariantCulture));
            writer.WritePropertyName("model");
            CatalogWriter.WriteModel(writer, model);
            writer.WriteEndObject();
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path.Combine(folder, FileName), overwrite: true);
        return new InstalledModel(model, folder, installedAt);
    }

    public static void Delete(string folder) => File.Delete(Path.Combine(folder, FileName));
}
