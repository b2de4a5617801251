namespace Hearsay.Testing;

/// <summary>
/// A small tmpfs mounted for the test's lifetime: a real file system that really fills up (ENOSPC) or refuses writes
/// (read-only), which no folder trick reproduces. Mounting needs root, as CI runs; without it the test fails and says so.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="sizeBytes"/> at a new folder under <paramref name="parent"/>.</summary>
    public static async Task<TmpfsMount> MountAsync(string parent, long sizeBytes, bool readOnly = false)
    {
        var path = System.IO.Path.Combine(parent, "tmpfs");
        Directory.CreateDirectory(path);
        var options = $"size={sizeBytes}" + (readOnly ? ",ro" : "");
        var result = await ChildProcess.CompleteAsync(ChildProcess.Start("mount", ["-t", "tmpfs", "-o", options, "tmpfs", path]));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"This test needs a small tmpfs, and 'mount -t tmpfs -o {options} tmpfs {path}' failed ({result.Stderr.Trim()}): run the tests as root, as CI does.");
        }

        return new TmpfsMount(path);
    }

    public void Dispose() => ChildProcess.CompleteAsync(ChildProcess.Start("umount", ["-l", Path])).GetAwaiter().GetResult();
}
