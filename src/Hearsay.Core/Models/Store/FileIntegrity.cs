using System.Security.Cryptography;
using Hearsay.Core.Models.Catalog;

namespace Hearsay.Core.Models.Store;

/// <summary>Checks a file against its catalog entry: the exact size, then the strongest hash the catalog records.</summary>
internal static class FileIntegrity
{
    /// <summary>The hash this file is verified by: SHA-256 when recorded, else SHA-1, else MD5.</summary>
    public static HashAlgorithmName AlgorithmFor(CatalogFile file) =>
        file.Sha256 is not null ? HashAlgorithmName.SHA256 : file.Sha1 is not null ? HashAlgorithmName.SHA1 : HashAlgorithmName.MD5;

    /// <summary>The expected hash, lowercase hex.</summary>
    public static string ExpectedHash(CatalogFile file) => file.Sha256 ?? file.Sha1 ?? file.Md5!;

    /// <summary>Null when <paramref name="path"/> is exactly <paramref name="file"/>; otherwise what differs.</summary>
    public static async Task<string?> CheckAsync(string path, CatalogFile file, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return "it is missing";
        }

        if (info.Length != file.Size)
        {
            return $"it has {info.Length:N0} bytes, the catalog says {file.Size:N0}";
        }

        using var hash = IncrementalHash.CreateHash(AlgorithmFor(file));
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            await AppendAsync(hash, stream, cancellationToken).ConfigureAwait(false);
        }

        return Mismatch(hash, file);
    }

    /// <summary>Null when <paramref name="hash"/>'s result matches <paramref name="file"/>; otherwise the difference.</summary>
    public static string? Mismatch(IncrementalHash hash, CatalogFile file)
    {
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        var expected = ExpectedHash(file);
        return actual == expected ? null : $"its {AlgorithmFor(file).Name} is {actual}, the catalog says {expected}";
    }

    /// <summary>Feeds the rest of <paramref name="stream"/> to <paramref name="hash"/>.</summary>
    public static async Task AppendAsync(IncrementalHash hash, Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 20];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }
    }
}
