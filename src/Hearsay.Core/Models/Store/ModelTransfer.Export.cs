using System.Formats.Tar;
using System.IO.Compression;

namespace Hearsay.Core.Models.Store;

/// <content>Export: an installed model as an archive or folder another machine can import.</content>
public static partial class ModelTransfer
{
    /// <summary>
    /// Writes installed model <paramref name="id"/> for <see cref="ImportAsync"/> on another machine: a <c>.tar</c>,
    /// <c>.tar.gz</c>/<c>.tgz</c> or <c>.zip</c> archive when <paramref name="destination"/> ends so, else a folder
    /// named by the id inside the folder <paramref name="destination"/>. Either way the files and the model's manifest
    /// sit in a top-level folder named by the id. Each file is verified first, so a damaged model is never passed on.
    /// </summary>
    /// <remarks>The result is written under a temporary name beside it and renamed at the end; an existing archive is replaced.</remarks>
    /// <returns>The full path of the archive or folder written.</returns>
    /// <exception cref="HearsayException">
    /// <see cref="HearsayErrorCode.ModelNotFound"/> when the model is not installed;
    /// <see cref="HearsayErrorCode.IntegrityCheckFailed"/> when an installed file no longer matches;
    /// <see cref="HearsayErrorCode.InvalidInput"/> when the folder to write already exists;
    /// <see cref="HearsayErrorCode.InsufficientStorage"/> or <see cref="HearsayErrorCode.StoreNotWritable"/> when the
    /// destination cannot take it.
    /// </exception>
    public static async Task<string> ExportAsync(ModelStore store, string id, string destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        // Checked before locking too: a lock file is made only for a model the store holds (see ModelStore.LockAsync).
        if (store.FindInstalled(id) is null)
        {
            throw ModelStore.NotInstalled(id);
        }

        var held = await store.LockAsync(id, onWaiting: null, cancellationToken).ConfigureAwait(false);
        await using var heldLock = held.ConfigureAwait(false);
        var installed = store.FindInstalled(id) ?? throw ModelStore.NotInstalled(id);
        foreach (var file in installed.Model.Files)
        {
            if (await FileIntegrity.CheckAsync(installed.PathOf(file.Path), file, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                throw new HearsayException(
                    HearsayErrorCode.IntegrityCheckFailed,
                    $"The installed '{id}' is damaged ({file.Path}: {problem}); reinstall it with 'hearsay models pull {id} --replace' before exporting it.");
            }
        }

        var format = TransferSource.FormatOf(destination);
        var target = Path.GetFullPath(format == ArchiveFormat.None ? Path.Combine(destination, id) : destination);
        if (Directory.Exists(target) || (format == ArchiveFormat.None && File.Exists(target)))
        {
            throw new HearsayException(HearsayErrorCode.InvalidInput, $"{target} already exists; export '{id}' somewhere else or remove it first.");
        }

        var parent = Path.GetDirectoryName(target)!;
        var temporary = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(parent);
            if (format == ArchiveFormat.None)
            {
                await WriteFolderAsync(installed, temporary, cancellationToken).ConfigureAwait(false);
                Directory.Move(temporary, target);
            }
            else
            {
                await WriteArchiveAsync(installed, format, temporary, cancellationToken).ConfigureAwait(false);
                File.Move(temporary, target, overwrite: true);
            }

            return target;
        }
        catch (IOException e) when (StoreErrors.IsDiskFull(e))
        {
            DeleteTemporary(temporary);
            throw new HearsayException(
                HearsayErrorCode.InsufficientStorage, $"Not enough disk space to export '{id}' ({ByteSize.Format(installed.Model.SizeBytes)}) to {target}.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteTemporary(temporary);
            throw new HearsayException(HearsayErrorCode.StoreNotWritable, $"'{id}' cannot be exported to {target}: {e.Message}", e);
        }
        catch
        {
            DeleteTemporary(temporary);
            throw;
        }
    }

    /// <summary>The manifest first, so an importer reading the archive in order knows the model at once.</summary>
    private static IEnumerable<string> ExportedFiles(InstalledModel installed) =>
        [InstalledManifest.FileName, .. installed.Model.Files.Select(file => file.Path)];

    private static async Task WriteFolderAsync(InstalledModel installed, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        foreach (var name in ExportedFiles(installed))
        {
            var source = TransferSource.OpenRead(installed.PathOf(name));
            await using (source.ConfigureAwait(false))
            {
                var target = new FileStream(Path.Combine(folder, name), FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous);
                await using (target.ConfigureAwait(false))
                {
                    await source.CopyToAsync(target, 1 << 20, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task WriteArchiveAsync(InstalledModel installed, ArchiveFormat format, string path, CancellationToken cancellationToken)
    {
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            if (format == ArchiveFormat.Zip)
            {
                var zip = await ZipArchive.CreateAsync(file, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken).ConfigureAwait(false);
                await using (zip.ConfigureAwait(false))
                {
                    foreach (var name in ExportedFiles(installed))
                    {
                        // Model weights barely compress; the fastest level still shrinks the text files.
                        await zip.CreateEntryFromFileAsync(installed.PathOf(name), $"{installed.Id}/{name}", CompressionLevel.Fastest, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            else if (format == ArchiveFormat.TarGz)
            {
                var gzip = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true);
                await using (gzip.ConfigureAwait(false))
                {
                    await WriteTarAsync(installed, gzip, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                await WriteTarAsync(installed, file, cancellationToken).ConfigureAwait(false);
            }

            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
        }
    }

    /// <summary>Plain entries with neutral metadata (no owner names from this machine).</summary>
    private static async Task WriteTarAsync(InstalledModel installed, Stream output, CancellationToken cancellationToken)
    {
        var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            foreach (var name in ExportedFiles(installed))
            {
                var path = installed.PathOf(name);
                var data = TransferSource.OpenRead(path);
                await using (data.ConfigureAwait(false))
                {
                    var entry = new PaxTarEntry(TarEntryType.RegularFile, $"{installed.Id}/{name}")
                    {
                        DataStream = data,
                        Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                        ModificationTime = File.GetLastWriteTimeUtc(path),
                    };
                    await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static void DeleteTemporary(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The export's own failure is what matters; the leftover is hidden and named as temporary.
        }
    }
}
