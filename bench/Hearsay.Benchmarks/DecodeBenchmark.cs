using System.Diagnostics;
using System.Globalization;
using Hearsay.Core;
using Hearsay.Core.Audio.Input;
using Hearsay.Testing;

namespace Hearsay.Benchmarks;

/// <summary>
/// The in-process decoders (issue 15) against an ffmpeg process on the same files, interleaved in one run: each real
/// encoded file in <c>tests/assets/audio</c> decoded to mono float at its own rate, as many times as
/// <c>--iterations</c> says. Goals: in-process at least as fast as ffmpeg (which pays a process start), and at least
/// 200x real time for Opus and MP3 (the decoders run on one core).
/// </summary>
internal static class DecodeBenchmark
{
    private const double RealTimeGoal = 200;

    public static async Task<int> RunAsync(string[] args)
    {
        var iterations = ServeBenchmark.IntOption(args, "--iterations", 10);
        var ffmpeg = FfmpegReference.Program;
        var assets = Path.Combine(TestPaths.RepoRoot, "tests", "assets", "audio");
        var files = Directory.GetFiles(Path.Combine(assets, "encoded")).Concat(Directory.GetFiles(Path.Combine(assets, "recorded"))).Order().ToList();
        Console.WriteLine($"decode: {files.Count} files, {iterations} interleaved runs each after one warm-up; load before: {ServeBenchmark.LoadAverage()}");
        Console.WriteLine($"{"file",-44}{"audio s",9}{"hearsay ms",12}{"ffmpeg ms",11}{"ffmpeg/hs",11}{"x realtime",12}");

        var failed = false;
        foreach (var file in files)
        {
            double seconds;
            try
            {
                seconds = await DecodeInProcessAsync(file);
            }
            catch (HearsayException e) when (e.Code == HearsayErrorCode.UnsupportedFormat)
            {
                Console.WriteLine($"{Path.GetFileName(file),-44}not read in-process: {e.Message}");
                continue;
            }

            await DecodeWithFfmpegAsync(ffmpeg, file);
            var inProcess = new List<double>();
            var external = new List<double>();
            for (var i = 0; i < iterations; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await DecodeInProcessAsync(file);
                inProcess.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                started = Stopwatch.GetTimestamp();
                await DecodeWithFfmpegAsync(ffmpeg, file);
                external.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            var hearsayMs = BenchTable.Median(inProcess);
            var ffmpegMs = BenchTable.Median(external);
            var realTime = seconds * 1000 / hearsayMs;
            var name = Path.GetFileName(file);
            var opusOrMp3 = name.Contains("opus", StringComparison.Ordinal) || name.Contains("mp3", StringComparison.Ordinal) || name.Contains("mediarecorder", StringComparison.Ordinal);
            var speedGoal = !opusOrMp3 || realTime >= RealTimeGoal;
            failed |= hearsayMs > ffmpegMs || !speedGoal;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-44}{seconds,9:0.00}{hearsayMs,12:0.0}{ffmpegMs,11:0.0}{ffmpegMs / hearsayMs,11:0.00}{realTime,12:0}{(speedGoal ? "" : "  < 200x")}"));
        }

        Console.WriteLine($"load after: {ServeBenchmark.LoadAverage()}");
        Console.WriteLine($"every file at least as fast as ffmpeg, Opus and MP3 at least {RealTimeGoal}x real time: {(failed ? "FAIL" : "PASS")}");
        return failed ? 1 : 0;
    }

    /// <summary>Decodes the whole file in this process; returns its length in seconds.</summary>
    private static async Task<double> DecodeInProcessAsync(string path)
    {
        await using var reader = await AudioDecoder.OpenFileAsync(path, new AudioInputOptions { TargetSampleRate = null, UseFfmpeg = false });
        var block = new float[16384];
        long samples = 0;
        int read;
        while ((read = await reader.ReadAsync(block)) > 0)
        {
            samples += read;
        }

        return (double)samples / reader.SampleRate;
    }

    private static async Task DecodeWithFfmpegAsync(string ffmpeg, string path)
    {
        using var process = ChildProcess.Start(ffmpeg, ["-nostdin", "-hide_banner", "-loglevel", "error", "-i", path, "-ac", "1", "-f", "f32le", "-"]);
        var result = await ChildProcess.CompleteAsync(process);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg could not decode {path}: {result.Stderr}");
        }
    }
}
