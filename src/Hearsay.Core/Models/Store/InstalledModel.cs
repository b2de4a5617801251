using Hearsay.Core.Models.Catalog;

namespace Hearsay.Core.Models.Store;

/// <summary>A model in the store: its folder and the catalog entry it was verified against when installed.</summary>
/// <param name="Model">The catalog entry as it was at install time (the manifest keeps it, so the store does not depend on today's catalog).</param>
/// <param name="Folder">The model's folder.</param>
/// <param name="InstalledAt">When the last file was verified.</param>
public sealed record InstalledModel(CatalogModel Model, string Folder, DateTimeOffset InstalledAt)
{
    /// <summary>The model's id.</summary>
    public string Id => Model.Id;

    /// <summary>What an engine loads: a voice's <c>.onnx</c> file for text-to-speech, else the model's folder.</summary>
    public string LoadPath => Model.Kind == ModelKind.Tts
        ? PathOf(Model.Files.First(file => file.Path.EndsWith(".onnx", StringComparison.Ordinal)).Path)
        : Folder;

    /// <summary>The full path of one of its files.</summary>
    public string PathOf(string fileName) => Path.Combine(Folder, fileName);

    /// <summary>True when <paramref name="catalogEntry"/> lists other files, sizes or hashes than were installed.</summary>
    public bool DiffersFrom(CatalogModel catalogEntry)
    {
        ArgumentNullException.ThrowIfNull(catalogEntry);
        return !Model.Files.Select(Identity).Order(StringComparer.Ordinal)
            .SequenceEqual(catalogEntry.Files.Select(Identity).Order(StringComparer.Ordinal));

        static string Identity(CatalogFile file) => $"{file.Path}|{file.Size}|{file.Sha256}|{file.Sha1}|{file.Md5}";
    }
}
