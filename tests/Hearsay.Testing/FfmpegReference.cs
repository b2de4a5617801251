using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Hearsay.Testing;

/// <summary>
/// ffmpeg's own decode of a file, the reference the in-process decoders are compared with: mono float samples at the
/// file's own sample rate. ffmpeg's <c>-ac 1</c> mixes stereo as √½ (left + right), not as their average.
/// </summary>
public static class FfmpegReference
{
    private const string FfmpegHint = "Install it: apt-get install ffmpeg.";

    private static readonly ConcurrentDictionary<string, Lazy<Task<float[]>>> Cache = new(StringComparer.Ordinal);

    /// <summary>The ffmpeg on PATH, which the reference decodes use; fails naming the install when absent.</summary>
    public static string Program => TestPaths.Program("ffmpeg", FfmpegHint);

    /// <summary>
    /// The file decoded by ffmpeg to mono float at its own rate (<c>-ac 1 -f f32le</c>). Cached per path for the test
    /// run; do not modify the returned array.
    /// </summary>
    public static Task<float[]> DecodeMonoAsync(string path) =>
        Cache.GetOrAdd(Path.GetFullPath(path), p => new Lazy<Task<float[]>>(() => DecodeAsync(p))).Value;

    /// <summary>How long the file lasts as ffmpeg decodes it: a recording may declare no duration, or a wrong one.</summary>
    public static async Task<double> SecondsAsync(string path) =>
        (double)(await DecodeMonoAsync(path)).Length / await SampleRateAsync(path);

    /// <summary>The sample rate of the file's first audio stream, as ffprobe reads it.</summary>
    private static async Task<int> SampleRateAsync(string path)
    {
        using var process = ChildProcess.Start(
            TestPaths.Program("ffprobe", FfmpegHint),
            ["-v", "error", "-select_streams", "a:0", "-show_entries", "stream=sample_rate", "-of", "default=noprint_wrappers=1:nokey=1", path]);
        var result = await ChildProcess.CompleteAsync(process);
        return result.ExitCode == 0
            ? int.Parse(result.StdoutText.Trim(), System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"ffprobe could not read {path} (exit {result.ExitCode}): {result.Stderr}");
    }

    private static async Task<float[]> DecodeAsync(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Missing audio file: {path}", path);
        }

        using var process = ChildProcess.Start(
            Program, ["-hide_banner", "-loglevel", "error", "-nostdin", "-i", path, "-ac", "1", "-f", "f32le", "-"]);
        var result = await ChildProcess.CompleteAsync(process);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg could not decode {path} (exit {result.ExitCode}): {result.Stderr}");
        }

        return MemoryMarshal.Cast<byte, float>(result.Stdout).ToArray();
    }
}
