using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Hearsay.Core.Models.Catalog;

namespace Hearsay.Core.Models.Store;

/// <content>Import: recognising the model, and staging its verified files in the store.</content>
public static partial class ModelTransfer
{
    private const int MaxManifestBytes = 256 << 10;

    /// <summary>Copies each catalog file to its partial, verifying while copying; throws naming every file that is not right.</summary>
    private static async Task StageAsync(TransferSource source, CatalogModel model, string folder, List<string> partials, CancellationToken cancellationToken)
    {
        var wanted = model.Files.ToDictionary(file => file.Path, StringComparer.Ordinal);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var staged = new HashSet<string>(StringComparer.Ordinal);
        await source.VisitAsync(
            async (entry, token) =>
            {
                if (!wanted.TryGetValue(entry.FileName, out var file) || staged.Contains(file.Path))
                {
                    return true;
                }

                if (entry.Length != file.Size)
                {
                    problems[file.Path] = $"it has {entry.Length:N0} bytes, the catalog says {file.Size:N0}";
                    return true;
                }

                var partial = Path.Combine(folder, file.Path + ModelStore.PartialSuffix);
                partials.Add(partial);
                var stream = await entry.OpenAsync(token).ConfigureAwait(false);
                if (await CopyVerifiedAsync(stream, partial, file, token).ConfigureAwait(false) is { } problem)
                {
                    problems[file.Path] = problem;
                    StoreErrors.Guard(partial, 0, () => File.Delete(partial));
                    return true;
                }

                staged.Add(file.Path);
                problems.Remove(file.Path);
                return staged.Count < wanted.Count;
            },
            cancellationToken).ConfigureAwait(false);

        var failures = model.Files.Where(file => !staged.Contains(file.Path))
            .Select(file => $"{file.Path}: {problems.GetValueOrDefault(file.Path) ?? "it is missing from the import"}")
            .ToList();
        if (failures.Count > 0)
        {
            throw new HearsayException(
                HearsayErrorCode.IntegrityCheckFailed,
                $"{source.Path} does not hold the model '{model.Id}' the catalog describes ({string.Join("; ", failures)}); nothing was installed.");
        }
    }

    /// <summary>Copies at most one byte more than the catalog's size, hashing as it goes; null when the copy is the catalog's file.</summary>
    private static async Task<string?> CopyVerifiedAsync(Stream source, string partial, CatalogFile file, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(FileIntegrity.AlgorithmFor(file));
        var target = StoreErrors.Guard(partial, file.Size, () => new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous));
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            await using (target.ConfigureAwait(false))
            {
                long total = 0;
                int read;
                while ((read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, file.Size + 1 - total)), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                    if (total > file.Size)
                    {
                        return $"it has more than the {file.Size:N0} bytes the catalog says";
                    }

                    hash.AppendData(buffer, 0, read);
                    try
                    {
                        await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        throw e is IOException io && StoreErrors.IsDiskFull(io)
                            ? StoreErrors.DiskFull(partial, file.Size - total + read, e)
                            : StoreErrors.NotWritable(partial, e);
                    }
                }

                if (total != file.Size)
                {
                    return $"it has {total:N0} bytes, the catalog says {file.Size:N0}";
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return FileIntegrity.Mismatch(hash, file);
    }

    /// <summary>Which catalog model the import holds, when the caller did not say.</summary>
    private static async Task<CatalogModel> IdentifyAsync(TransferSource source, ModelCatalog catalog, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        string? manifestId = null, topFolder = null;
        var oneTopFolder = true;
        await source.VisitAsync(
            async (entry, token) =>
            {
                names.Add(entry.FileName);
                oneTopFolder &= entry.TopFolder is not null && (topFolder ??= entry.TopFolder) == entry.TopFolder;
                if (entry.FileName == InstalledManifest.FileName && entry.Length is > 0 and <= MaxManifestBytes)
                {
                    manifestId = await ReadManifestIdAsync(await entry.OpenAsync(token).ConfigureAwait(false), token).ConfigureAwait(false);
                }

                // The manifest settles it; nothing else needs reading.
                return manifestId is null;
            },
            cancellationToken).ConfigureAwait(false);

        if (manifestId is not null)
        {
            return catalog.Get(manifestId);
        }

        foreach (var name in new[] { oneTopFolder ? topFolder : null, source.Name })
        {
            if (ModelId.IsValid(name) && catalog.Find(name!) is { } named)
            {
                return named;
            }
        }

        var matches = catalog.Models.Where(model => !model.Bundled && model.Files.All(file => names.Contains(file.Path))).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new HearsayException(
                HearsayErrorCode.ModelNotFound,
                $"{source.Path} holds no model the catalog knows (no manifest, no model id as its name, no catalog model's files); pass the id if the catalog has it."),
            _ => throw new HearsayException(
                HearsayErrorCode.InvalidInput,
                $"{source.Path} holds the files of several models ({string.Join(", ", matches.Select(model => model.Id))}); pass the id of the one to import."),
        };
    }

    /// <summary>The <c>model.id</c> of a manifest, or null when it has none usable. Nothing else in it is trusted.</summary>
    private static async Task<string?> ReadManifestIdAsync(Stream stream, CancellationToken cancellationToken)
    {
        // Bounded whatever the entry claims its length is.
        var buffer = new byte[MaxManifestBytes + 1];
        var length = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (length > MaxManifestBytes)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("model", out var model)
                && model.ValueKind == JsonValueKind.Object
                && model.TryGetProperty("id", out var id)
                && id.ValueKind == JsonValueKind.String
                && ModelId.IsValid(id.GetString())
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Cleanup(List<string> partials, string? createdFolder)
    {
        try
        {
            partials.ForEach(File.Delete);
            if (createdFolder is not null && Directory.Exists(createdFolder) && !Directory.EnumerateFileSystemEntries(createdFolder).Any())
            {
                Directory.Delete(createdFolder);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original failure is what matters; a stray partial is never taken for an installed file.
        }
    }
}
