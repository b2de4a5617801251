using System.IO.Hashing;

namespace Hearsay.Cli.PortablePhonemizer;

/// <summary>
/// The portable phonemizer's compiled modules on disk, one file per module and runtime version (the key), each with
/// the XXH128 of its bytes beside it. Wasmtime trusts what it deserializes, so bytes are handed out only when they
/// match their hash: this guards against a damaged file, not against someone who can write to the user's own cache
/// folder (who could change the program itself), so a fast non-cryptographic hash is enough. Every use marks an entry
/// as recently used, and storing a new one keeps only the <see cref="EntriesKept"/> most recently used: installations
/// of different versions may share the folder without compiling again at every start, and superseded modules do not
/// pile up.
/// </summary>
internal sealed class CompiledModuleCache(string directory, TimeProvider clock)
{
    /// <summary>How many compiled modules are kept: a few installations of different versions at once.</summary>
    public const int EntriesKept = 3;

    private const string Extension = ".cwasm";
    private const string HashExtension = ".xxh128";

    /// <summary>The cached bytes for <paramref name="key"/> when they are there and intact; else null.</summary>
    public byte[]? TryRead(string key)
    {
        var path = EntryPath(key);
        try
        {
            if (!File.Exists(path) || !File.Exists(path + HashExtension))
            {
                return null;
            }

            var compiled = File.ReadAllBytes(path);
            if (Hash(compiled) != File.ReadAllText(path + HashExtension))
            {
                return null;
            }

            File.SetLastWriteTimeUtc(path, clock.GetUtcNow().UtcDateTime);
            return compiled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Stores <paramref name="compiled"/> under <paramref name="key"/> atomically, then removes all but the most
    /// recently used entries. A cache that cannot be written only costs the next start its compile.
    /// </summary>
    public void TryWrite(string key, byte[] compiled)
    {
        var path = EntryPath(key);
        var suffix = "." + Environment.ProcessId + ".tmp";
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllBytes(path + suffix, compiled);
            File.Move(path + suffix, path, overwrite: true);
            File.WriteAllText(path + HashExtension + suffix, Hash(compiled));
            File.Move(path + HashExtension + suffix, path + HashExtension, overwrite: true);
            Prune();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only or full disk: compile again next time.
        }
    }

    private void Prune()
    {
        var stale = new DirectoryInfo(directory).GetFiles("*" + Extension)
            .OrderByDescending(file => file.LastWriteTimeUtc)
            .Skip(EntriesKept);
        foreach (var file in stale)
        {
            try
            {
                File.Delete(file.FullName + HashExtension);
                file.Delete();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another process is using it: the next store tries again.
            }
        }
    }

    private string EntryPath(string key) => Path.Combine(directory, key + Extension);

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(XxHash128.Hash(bytes));
}
