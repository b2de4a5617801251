using Hearsay.Core.Models.Catalog;

namespace Hearsay.Core.Models.Store;

/// <summary>
/// Moves models between machines without a network: import from a folder or archive someone copied over, export an
/// installed model as one, and pre-seed a store from an installer's bundled folder. The catalog is the trust anchor:
/// every imported file is checked against the catalog's size and hash, never against anything the import itself says.
/// </summary>
public static partial class ModelTransfer
{
    /// <summary>
    /// Installs the model held by <paramref name="path"/>: a folder, or a <c>.tar</c>, <c>.tar.gz</c>/<c>.tgz</c> or
    /// <c>.zip</c> archive (such as <see cref="ExportAsync"/> writes). The model is <paramref name="id"/> when given;
    /// else the id in a <c>.hearsay-model.json</c> inside; else the archive's top-level folder, or the folder's or
    /// archive's own name; else the one catalog model whose files are all there. Files are found by file name wherever
    /// they sit (nothing is extracted to a path taken from the import); only regular files are read, and files the
    /// catalog does not list are ignored.
    /// </summary>
    /// <remarks>
    /// Files are copied to <c>*.partial</c> names in the model's folder under the model's lock, all verified, then
    /// renamed; the manifest written last makes the model installed, so a refused or interrupted import leaves the
    /// store as it was. An installed model identical to the catalog entry is returned without reading the import.
    /// </remarks>
    /// <exception cref="HearsayException">
    /// <see cref="HearsayErrorCode.ModelNotFound"/>: nothing at <paramref name="path"/>, or a model the catalog does not
    /// know (or none could be recognised). <see cref="HearsayErrorCode.InvalidInput"/>: not a folder or supported
    /// archive, a bundled model, several models matching, or an installed copy that differs and
    /// <paramref name="replace"/> is not set. <see cref="HearsayErrorCode.IntegrityCheckFailed"/>: a file is missing
    /// or differs from the catalog (the message names it). <see cref="HearsayErrorCode.ModelInvalid"/>: the import
    /// cannot be read (a damaged archive). <see cref="HearsayErrorCode.InsufficientStorage"/> or
    /// <see cref="HearsayErrorCode.StoreNotWritable"/> from the store's disk.
    /// </exception>
    public static async Task<InstalledModel> ImportAsync(
        ModelStore store, ModelCatalog catalog, string path, string? id = null, bool replace = false, CancellationToken cancellationToken = default)
    {
        var (installed, _) = await ImportCoreAsync(store, catalog, path, id, replace, cancellationToken).ConfigureAwait(false);
        return installed;
    }

    /// <summary>
    /// Pre-seeds <paramref name="store"/> from an installer's bundled <paramref name="folder"/>: each sub-folder and
    /// archive in it is imported as by <see cref="ImportAsync"/> (without replacing anything); models already installed
    /// cost a look at the import's name or manifest. One that fails is skipped and reported, and the rest still go in.
    /// Hidden entries and other files are ignored.
    /// </summary>
    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.ModelNotFound"/> when <paramref name="folder"/> does not exist.</exception>
    public static async Task<ModelSeedResult> SeedAsync(ModelStore store, ModelCatalog catalog, string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
        {
            throw new HearsayException(HearsayErrorCode.ModelNotFound, $"There is no folder {root} to seed the model store from.");
        }

        var candidates = Directory.EnumerateFileSystemEntries(root)
            .Where(entry => !Path.GetFileName(entry).StartsWith('.')
                && (Directory.Exists(entry) || TransferSource.FormatOf(entry) != ArchiveFormat.None))
            .Order(StringComparer.Ordinal);
        List<InstalledModel> imported = [], alreadyInstalled = [];
        List<ModelSeedSkip> skipped = [];
        foreach (var candidate in candidates)
        {
            try
            {
                var (installed, didImport) = await ImportCoreAsync(store, catalog, candidate, null, replace: false, cancellationToken).ConfigureAwait(false);
                (didImport ? imported : alreadyInstalled).Add(installed);
            }
            catch (HearsayException e)
            {
                skipped.Add(new ModelSeedSkip(candidate, e.Code, e.Message));
            }
        }

        return new ModelSeedResult(imported, alreadyInstalled, skipped);
    }

    private static async Task<(InstalledModel Model, bool Imported)> ImportCoreAsync(
        ModelStore store, ModelCatalog catalog, string path, string? id, bool replace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var source = TransferSource.Open(path);
        var model = id is not null ? catalog.Get(id) : await IdentifyAsync(source, catalog, cancellationToken).ConfigureAwait(false);
        if (model.Bundled)
        {
            throw new HearsayException(HearsayErrorCode.InvalidInput, $"'{model.Id}' is built into Hearsay; there is nothing to import.");
        }

        if (Current(store, model, replace, source.Path) is { } installed)
        {
            return (installed, false);
        }

        var held = await store.LockAsync(model.Id, onWaiting: null, cancellationToken).ConfigureAwait(false);
        await using var heldLock = held.ConfigureAwait(false);

        // Whoever held the lock may have installed it meanwhile.
        if (Current(store, model, replace, source.Path) is { } installedMeanwhile)
        {
            return (installedMeanwhile, false);
        }

        var folder = store.FolderOf(model.Id);
        var createdFolder = !Directory.Exists(folder);
        StoreErrors.Guard(folder, model.SizeBytes, () => Directory.CreateDirectory(folder));
        var partials = new List<string>();
        try
        {
            await StageAsync(source, model, folder, partials, cancellationToken).ConfigureAwait(false);
            var result = store.Commit(model, model.Files, TimeProvider.System);
            partials.Clear();
            return (result, true);
        }
        catch
        {
            Cleanup(partials, createdFolder ? folder : null);
            throw;
        }
    }

    /// <summary>The installed copy when it already is this catalog entry; null when the import should go ahead.</summary>
    private static InstalledModel? Current(ModelStore store, CatalogModel model, bool replace, string path)
    {
        var installed = store.FindInstalled(model.Id);
        if (installed is null || !installed.DiffersFrom(model))
        {
            return installed;
        }

        return replace ? null : throw new HearsayException(
            HearsayErrorCode.InvalidInput,
            $"'{model.Id}' is already installed with other files than the catalog lists; pass --replace to replace it with {path}.");
    }
}

/// <summary>What <see cref="ModelTransfer.SeedAsync"/> did with a seed folder.</summary>
/// <param name="Imported">Models it installed.</param>
/// <param name="AlreadyInstalled">Models the store already had as the catalog describes them.</param>
/// <param name="Skipped">Entries it could not import, with why.</param>
public sealed record ModelSeedResult(IReadOnlyList<InstalledModel> Imported, IReadOnlyList<InstalledModel> AlreadyInstalled, IReadOnlyList<ModelSeedSkip> Skipped);

/// <summary>A seed folder entry that was not imported.</summary>
/// <param name="Path">The sub-folder or archive.</param>
/// <param name="Code">Why, for callers that branch on it.</param>
/// <param name="Reason">Why, for people.</param>
public sealed record ModelSeedSkip(string Path, HearsayErrorCode Code, string Reason);
