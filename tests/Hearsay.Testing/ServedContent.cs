using System.Globalization;
using System.Security.Cryptography;

namespace Hearsay.Testing;

/// <summary>The content of one response: an open, seekable, read-only stream and its entity tag.</summary>
internal sealed class ServedContent(Stream stream, string etag) : IAsyncDisposable
{
    public Stream Stream => stream;

    public long Length => stream.Length;

    /// <summary>A strong entity tag, quoted, stable while the content is unchanged.</summary>
    public string ETag => etag;

    /// <summary>The entity tag of in-memory content: a prefix of its SHA-256.</summary>
    public static string ETagOf(byte[] content) => $"\"{Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 8))}\"";

    public static ServedContent FromBytes(byte[] content, string etag) => new(new MemoryStream(content, writable: false), etag);

    /// <summary>Opens a file for reading only, or returns null when there is no such file.</summary>
    public static ServedContent? TryOpenFile(string path)
    {
        FileStream file;
        try
        {
            // FileShare.ReadWrite: the server is a reader and must never stand in the way of the folder's owner.
            file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 0,
            });
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            // UnauthorizedAccessException is also what opening a folder gives: a 404 either way.
            return null;
        }

        // Size and modification time rather than a hash: stable while the file is unchanged, and free for large files.
        var etag = string.Create(CultureInfo.InvariantCulture, $"\"{file.Length:x}-{File.GetLastWriteTimeUtc(path).Ticks:x}\"");
        return new ServedContent(file, etag);
    }

    public ValueTask DisposeAsync() => stream.DisposeAsync();
}
