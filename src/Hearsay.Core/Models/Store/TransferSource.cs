using System.Formats.Tar;
using System.IO.Compression;

namespace Hearsay.Core.Models.Store;

/// <summary>How a model travels: a plain folder or one of the archive formats.</summary>
internal enum ArchiveFormat
{
    None,
    Tar,
    TarGz,
    Zip,
}

/// <summary>
/// An import's regular files, in the order the folder or archive holds them. Only names are taken from the import,
/// never paths: callers match a file by its file name, so an entry such as <c>../../x</c> cannot escape anywhere.
/// </summary>
internal sealed class TransferSource
{
    private static readonly EnumerationOptions FolderWalk = new()
    {
        RecurseSubdirectories = true,
        MaxRecursionDepth = 8,
        IgnoreInaccessible = true,
        // Hidden files (such as the manifest) are wanted; symbolic links are not followed.
        AttributesToSkip = FileAttributes.ReparsePoint,
    };

    private TransferSource(string path, ArchiveFormat format, string name) => (Path, Format, Name) = (path, format, name);

    public string Path { get; }

    public ArchiveFormat Format { get; }

    /// <summary>The folder's name, or the archive's without its extension.</summary>
    public string Name { get; }

    public static ArchiveFormat FormatOf(string path)
    {
        var name = System.IO.Path.GetFileName(path);
        return name.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) ? ArchiveFormat.TarGz
            : name.EndsWith(".tar", StringComparison.OrdinalIgnoreCase) ? ArchiveFormat.Tar
            : name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? ArchiveFormat.Zip
            : ArchiveFormat.None;
    }

    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.ModelNotFound"/> when nothing is there; <see cref="HearsayErrorCode.InvalidInput"/> for another kind of file.</exception>
    public static TransferSource Open(string path)
    {
        var full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));
        var name = System.IO.Path.GetFileName(full);
        if (Directory.Exists(full))
        {
            return new TransferSource(full, ArchiveFormat.None, name);
        }

        if (!File.Exists(full))
        {
            throw new HearsayException(HearsayErrorCode.ModelNotFound, $"There is nothing to import at {full}.");
        }

        var format = FormatOf(full);
        var stem = name[..name.LastIndexOf('.')];
        return format switch
        {
            ArchiveFormat.None => throw new HearsayException(
                HearsayErrorCode.InvalidInput, $"{full} is neither a folder nor a .tar, .tar.gz, .tgz or .zip archive."),
            ArchiveFormat.TarGz when stem.EndsWith(".tar", StringComparison.OrdinalIgnoreCase) => new TransferSource(full, format, stem[..^4]),
            _ => new TransferSource(full, format, stem),
        };
    }

    public static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>Calls <paramref name="visitor"/> with each regular file until it returns false.</summary>
    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.ModelInvalid"/> when the import cannot be read.</exception>
    public async Task VisitAsync(Func<SourceFile, CancellationToken, Task<bool>> visitor, CancellationToken cancellationToken)
    {
        try
        {
            switch (Format)
            {
                case ArchiveFormat.None:
                    foreach (var path in Directory.EnumerateFiles(Path, "*", FolderWalk))
                    {
                        var file = new SourceFile(System.IO.Path.GetRelativePath(Path, path), new FileInfo(path).Length, _ => ValueTask.FromResult<Stream>(OpenRead(path)), owned: true);
                        if (!await VisitOneAsync(visitor, file, cancellationToken).ConfigureAwait(false))
                        {
                            return;
                        }
                    }

                    break;
                case ArchiveFormat.Zip:
                    await VisitZipAsync(visitor, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await VisitTarAsync(visitor, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new HearsayException(HearsayErrorCode.ModelInvalid, $"{Path} cannot be read: {e.Message}", e);
        }
    }

    private async Task VisitZipAsync(Func<SourceFile, CancellationToken, Task<bool>> visitor, CancellationToken cancellationToken)
    {
        var zip = await ZipFile.OpenReadAsync(Path, cancellationToken).ConfigureAwait(false);
        await using (zip.ConfigureAwait(false))
        {
            foreach (var entry in zip.Entries)
            {
                // Unix zips keep the file type in the high bits: 0 (none recorded) or a regular file; not links or folders.
                var unixType = (entry.ExternalAttributes >> 16) & 0xF000;
                if (entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\') || unixType is not (0 or 0x8000))
                {
                    continue;
                }

                var file = new SourceFile(entry.FullName, entry.Length, async token => await entry.OpenAsync(token).ConfigureAwait(false), owned: true);
                if (!await VisitOneAsync(visitor, file, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
    }

    private async Task VisitTarAsync(Func<SourceFile, CancellationToken, Task<bool>> visitor, CancellationToken cancellationToken)
    {
        var file = OpenRead(Path);
        await using (file.ConfigureAwait(false))
        {
            var archive = Format == ArchiveFormat.TarGz ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : (Stream)file;
            await using (archive.ConfigureAwait(false))
            {
                var reader = new TarReader(archive, leaveOpen: true);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                    {
                        // The reader owns the entry's data stream; links, devices and folders are never read.
                        if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile
                            && entry.DataStream is { } data
                            && !await visitor(new SourceFile(entry.Name, entry.Length, _ => ValueTask.FromResult(data), owned: false), cancellationToken).ConfigureAwait(false))
                        {
                            return;
                        }
                    }
                }
            }
        }
    }

    private static async Task<bool> VisitOneAsync(Func<SourceFile, CancellationToken, Task<bool>> visitor, SourceFile file, CancellationToken cancellationToken)
    {
        try
        {
            return await visitor(file, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await file.CloseAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>One regular file of an import: its name inside (<c>/</c>-separated), its length, and its bytes on demand.</summary>
internal sealed class SourceFile(string name, long length, Func<CancellationToken, ValueTask<Stream>> open, bool owned)
{
    private readonly string _name = name.Replace('\\', '/').TrimStart('/');
    private Stream? _stream;

    public long Length => length;

    /// <summary>The last part of the name: all that is used to match a catalog file.</summary>
    public string FileName => _name[(_name.LastIndexOf('/') + 1)..];

    /// <summary>The first folder of the name (ignoring <c>./</c>), or null for a file at the top.</summary>
    public string? TopFolder
    {
        get
        {
            var name = _name;
            while (name.StartsWith("./", StringComparison.Ordinal))
            {
                name = name[2..];
            }

            var slash = name.IndexOf('/', StringComparison.Ordinal);
            return slash > 0 ? name[..slash] : null;
        }
    }

    public async ValueTask<Stream> OpenAsync(CancellationToken cancellationToken) => _stream ??= await open(cancellationToken).ConfigureAwait(false);

    public ValueTask CloseAsync() => owned && _stream is not null ? _stream.DisposeAsync() : ValueTask.CompletedTask;
}
