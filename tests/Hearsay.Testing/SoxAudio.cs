using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Hearsay.Testing;

/// <summary>Reads recordings through sox, an independent decoder, so tests need no Hearsay audio reader.</summary>
public static class SoxAudio
{
    private const string SoxHint = "Install it: apt-get install sox.";

    private static readonly ConcurrentDictionary<string, Lazy<Task<float[]>>> Cache = new(StringComparer.Ordinal);

    /// <summary>
    /// The file as 16 kHz mono float samples (sox converts: <c>-t raw -e floating-point -b 32 -c 1 -r 16000</c>).
    /// Results are cached per path for the test run; do not modify the returned array.
    /// </summary>
    public static Task<float[]> ReadMono16kAsync(string path) =>
        Cache.GetOrAdd(Path.GetFullPath(path), p => new Lazy<Task<float[]>>(() => ConvertAsync(p))).Value;

    /// <summary>
    /// The file as PCM16 little-endian mono at <paramref name="rate"/>, the bytes a Realtime client sends (sox converts:
    /// <c>-t raw -e signed-integer -b 16 -L -c 1 -r RATE</c>).
    /// </summary>
    public static async Task<byte[]> ReadPcm16Async(string path, int rate)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Missing audio file: {path}", path);
        }

        using var process = ChildProcess.Start(
            TestPaths.Program("sox", SoxHint),
            [path, "-t", "raw", "-e", "signed-integer", "-b", "16", "-L", "-c", "1", "-r", rate.ToString(System.Globalization.CultureInfo.InvariantCulture), "-"]);
        var result = await ChildProcess.CompleteAsync(process);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"sox could not convert {path} (exit {result.ExitCode}): {result.Stderr}");
        }

        return result.Stdout;
    }

    private static async Task<float[]> ConvertAsync(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Missing audio file: {path}", path);
        }

        // Native byte order: the floats are reinterpreted in place below.
        using var process = ChildProcess.Start(
            TestPaths.Program("sox", SoxHint),
            [path, "-t", "raw", "-e", "floating-point", "-b", "32", "-c", "1", "-r", "16000", "-"]);
        var result = await ChildProcess.CompleteAsync(process);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"sox could not convert {path} (exit {result.ExitCode}): {result.Stderr}");
        }

        return MemoryMarshal.Cast<byte, float>(result.Stdout).ToArray();
    }
}
