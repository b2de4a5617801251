namespace Hearsay.Cli;

/// <summary>
/// Where <c>speak</c> writes: standard output for <c>-</c>, else a file that appears only once complete
/// (written beside it under a temporary name and renamed), so a failure never leaves half a file behind.
/// </summary>
internal sealed class AudioDestination : IAsyncDisposable
{
    private readonly string? _temporaryPath;
    private bool _committed;

    private AudioDestination(Stream stream, string path, string? temporaryPath)
    {
        Stream = stream;
        Path = path;
        _temporaryPath = temporaryPath;
    }

    public Stream Stream { get; }

    public string Path { get; }

    public bool IsStandardOutput => _temporaryPath is null;

    public static AudioDestination Open(string output, CliConsole console)
    {
        if (output == "-")
        {
            return new AudioDestination(console.OpenOutput(), "standard output", null);
        }

        var fullPath = System.IO.Path.GetFullPath(output);
        var temporaryPath = $"{fullPath}.{Environment.ProcessId}.partial";
        var stream = new FileStream(temporaryPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, useAsync: true);
        return new AudioDestination(stream, fullPath, temporaryPath);
    }

    /// <summary>Marks the output complete: the file is moved into place when disposed.</summary>
    public void Commit() => _committed = true;

    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync();
        if (_temporaryPath is null)
        {
            return;
        }

        if (_committed)
        {
            File.Move(_temporaryPath, Path, overwrite: true);
        }
        else
        {
            File.Delete(_temporaryPath);
        }
    }
}
