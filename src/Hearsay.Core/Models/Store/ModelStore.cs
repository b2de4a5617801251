using Hearsay.Core.Models.Catalog;

namespace Hearsay.Core.Models.Store;

/// <summary>
/// The per-user folder every Hearsay installation shares (DESIGN decision 9): one folder per model id holding its files
/// and, once all of them are verified, its manifest. Partial downloads (<c>*.partial</c>) sit beside the files they
/// will become. Safe to use from several processes: changes to one model happen under that model's lock.
/// </summary>
public sealed class ModelStore
{
    /// <summary>The environment variable that moves the store.</summary>
    public const string EnvironmentVariable = "HEARSAY_MODELS_DIR";

    /// <summary>The suffix of a file still being downloaded.</summary>
    public const string PartialSuffix = ".partial";

    private const string LocksFolder = ".locks";

    /// <summary>A store at <paramref name="root"/> (created when first written to).</summary>
    public ModelStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The store's folder.</summary>
    public string Root { get; }

    /// <summary>The store at <paramref name="root"/>, else <c>HEARSAY_MODELS_DIR</c>, else <see cref="DefaultRoot"/>.</summary>
    public static ModelStore Open(string? root = null)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return new ModelStore(root ?? (string.IsNullOrWhiteSpace(fromEnvironment) ? DefaultRoot() : fromEnvironment));
    }

    /// <summary>
    /// The platform's per-user data folder: <c>$XDG_DATA_HOME/hearsay/models</c> (default <c>~/.local/share</c>) on Linux,
    /// <c>~/Library/Application Support/Hearsay/models</c> on macOS, <c>%LOCALAPPDATA%\Hearsay\models</c> on Windows.
    /// </summary>
    public static string DefaultRoot()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "Hearsay", "models");
        }

        if (OperatingSystem.IsMacOS())
        {
            return Path.Combine(home, "Library", "Application Support", "Hearsay", "models");
        }

        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return Path.Combine(string.IsNullOrEmpty(dataHome) || !Path.IsPathRooted(dataHome) ? Path.Combine(home, ".local", "share") : dataHome, "hearsay", "models");
    }

    /// <summary>The folder of model <paramref name="id"/> (validated: it can never point outside the store).</summary>
    public string FolderOf(string id) => Path.Combine(Root, ModelId.Validate(id));

    /// <summary>The installed model, or null when it is not (or no longer) complete: its manifest and every file at its size.</summary>
    public InstalledModel? FindInstalled(string id)
    {
        var installed = InstalledManifest.TryRead(FolderOf(id));
        return installed is not null && installed.Id == id && installed.Model.Files.All(file => LengthOf(installed.PathOf(file.Path)) == file.Size)
            ? installed
            : null;
    }

    /// <summary>Every installed model, by id.</summary>
    public IReadOnlyList<InstalledModel> ListInstalled()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        return [.. Directory.EnumerateDirectories(Root)
            .Select(Path.GetFileName)
            .Where(name => ModelId.IsValid(name))
            .Select(name => FindInstalled(name!))
            .OfType<InstalledModel>()
            .OrderBy(model => model.Id, StringComparer.Ordinal)];
    }

    /// <summary>Bytes on disk in <paramref name="id"/>'s folder, partial downloads included.</summary>
    public long DiskUsage(string id)
    {
        var folder = FolderOf(id);
        return Directory.Exists(folder) ? new DirectoryInfo(folder).EnumerateFiles().Sum(file => file.Length) : 0;
    }

    /// <summary>Bytes still to download for <paramref name="model"/>, counting what partial files already hold.</summary>
    public long RemainingBytes(CatalogModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var folder = FolderOf(model.Id);
        return model.Files.Sum(file => LengthOf(Path.Combine(folder, file.Path)) == file.Size
            ? 0
            : file.Size - Math.Min(LengthOf(Path.Combine(folder, file.Path + PartialSuffix)), file.Size));
    }

    /// <summary>Deletes model <paramref name="id"/>'s folder, partial downloads included; false when there was none.</summary>
    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.StoreNotWritable"/> when it cannot be deleted.</exception>
    public async Task<bool> RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        var folder = FolderOf(id);
        // Checked before locking too: a lock file is made only for a model the store holds (see LockAsync).
        if (!Directory.Exists(folder))
        {
            return false;
        }

        var held = await LockAsync(id, onWaiting: null, cancellationToken).ConfigureAwait(false);
        await using var heldLock = held.ConfigureAwait(false);
        if (!Directory.Exists(folder))
        {
            return false;
        }

        // The manifest goes first, so a failure half-way leaves a model that is not installed, never a damaged one that is.
        StoreErrors.Guard(folder, 0, () =>
        {
            InstalledManifest.Delete(folder);
            Directory.Delete(folder, recursive: true);
        });
        return true;
    }

    /// <summary>
    /// Makes <paramref name="model"/> installed from its verified partial files; the caller holds the model's lock.
    /// The old manifest goes first, so an interruption leaves a model that is not installed rather than a mix of two
    /// versions that claims to be; then each of <paramref name="verified"/> is renamed over its final name, the new
    /// manifest is written, and files of the previous version that the new one does not list are deleted.
    /// </summary>
    internal InstalledModel Commit(CatalogModel model, IEnumerable<CatalogFile> verified, TimeProvider time)
    {
        var folder = FolderOf(model.Id);
        var previous = FindInstalled(model.Id);
        StoreErrors.Guard(folder, 0, () => InstalledManifest.Delete(folder));
        foreach (var file in verified)
        {
            var final = Path.Combine(folder, file.Path);
            StoreErrors.Guard(final, file.Size, () => File.Move(final + PartialSuffix, final, overwrite: true));
        }

        var installed = StoreErrors.Guard(folder, 0, () => InstalledManifest.Write(folder, model, time));
        DeleteLeftovers(previous, model);
        return installed;
    }

    /// <summary>Re-hashes every file of installed model <paramref name="id"/>; returns one line per file that differs (empty: intact).</summary>
    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.ModelNotFound"/> when the model is not installed.</exception>
    public async Task<IReadOnlyList<string>> VerifyAsync(string id, CancellationToken cancellationToken = default)
    {
        var installed = InstalledManifest.TryRead(FolderOf(id)) ?? throw NotInstalled(id);
        var problems = new List<string>();
        foreach (var file in installed.Model.Files)
        {
            if (await FileIntegrity.CheckAsync(installed.PathOf(file.Path), file, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                problems.Add($"{file.Path}: {problem}");
            }
        }

        return problems;
    }

    /// <summary>The error for a model that is not installed, saying how to install it.</summary>
    public static HearsayException NotInstalled(string id) => new(
        HearsayErrorCode.ModelNotFound, $"The model '{id}' is not installed; install it with 'hearsay models pull {id}'.");

    /// <summary>
    /// Takes model <paramref name="id"/>'s cross-process lock, waiting while another process holds it
    /// (<paramref name="onWaiting"/> is called once if so). The lock is the operating system's, so it is released
    /// when its holder exits or is killed.
    /// </summary>
    /// <remarks>
    /// The lock file stays when the lock is released: deleting it would let a process that opened it just before
    /// lock a file no longer in the folder while a third locks a new one. Callers therefore lock only a model the
    /// catalog names or the store holds, so there is at most one lock file per such model, whatever ids requests name.
    /// </remarks>
    internal Task<ModelLock> LockAsync(string id, Action? onWaiting, CancellationToken cancellationToken)
    {
        var locks = Path.Combine(Root, LocksFolder);
        StoreErrors.Guard(Root, 0, () => Directory.CreateDirectory(locks));

        return ModelLock.AcquireAsync(Path.Combine(locks, ModelId.Validate(id) + ".lock"), onWaiting, cancellationToken);
    }

    /// <summary>The file's length, 0 when it does not exist (catalog files are never empty, so 0 never passes for one).</summary>
    internal static long LengthOf(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.Length : 0;
    }

    /// <summary>Files of the replaced version that the new one does not list. Best effort: the model is already installed.</summary>
    private static void DeleteLeftovers(InstalledModel? previous, CatalogModel model)
    {
        foreach (var file in previous?.Model.Files.Where(old => model.Files.All(now => now.Path != old.Path)) ?? [])
        {
            try
            {
                File.Delete(previous!.PathOf(file.Path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Harmless: the manifest no longer lists it.
            }
        }
    }
}
