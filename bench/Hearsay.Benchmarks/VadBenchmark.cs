using System.Diagnostics;
using System.Globalization;
using Hearsay.Core.Vad;
using Hearsay.Testing;

namespace Hearsay.Benchmarks;

/// <summary>
/// Times a full voice-activity pass (every frame through the model, then segmentation) over the 107 s joined LJSpeech
/// clip, with each shared Silero VAD model and the bundled one.
/// </summary>
internal static class VadBenchmark
{
    private const string Clip = "long_lj_LJ001-0001_to_0015.wav";

    public static async Task<int> RunAsync(string[] args)
    {
        var iterations = int.Parse(Option(args, "--iterations") ?? "5", CultureInfo.InvariantCulture);
        var audio = await SoxAudio.ReadMono16kAsync(TestPaths.SharedFile("audio", "wav16k", Clip));
        var seconds = audio.Length / (double)SileroVadModel.SampleRate;
        var frames = (audio.Length + SileroVadModel.FrameSize - 1) / SileroVadModel.FrameSize;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"vad: {Clip}, {seconds:0.0} s, {frames} frames, {iterations} iterations after 1 warm-up, 1 intra-op thread"));
        Console.WriteLine($"{"model",-10}{"load ms",10}{"median ms",12}{"min ms",10}{"µs/frame",10}{"x realtime",12}{"alloc KB",10}{"segments",10}");

        foreach (var (name, load) in Models())
        {
            var loading = Stopwatch.StartNew();
            using var model = load();
            var loadMs = loading.Elapsed.TotalMilliseconds;
            var segments = VoiceActivityDetector.Detect(model, audio, SileroVadModel.SampleRate).Count;
            var times = new List<double>();
            long allocated = 0;
            for (var i = 0; i < iterations; i++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                var started = Stopwatch.GetTimestamp();
                VoiceActivityDetector.Detect(model, audio, SileroVadModel.SampleRate);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }

            times.Sort();
            var median = times[times.Count / 2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-10}{loadMs,10:0}{median,12:0}{times[0],10:0}{median * 1000 / frames,10:0}{seconds * 1000 / median,12:0}{allocated / 1024.0,10:0}{segments,10}"));
        }

        return 0;
    }

    private static IEnumerable<(string Name, Func<SileroVadModel> Load)> Models()
    {
        foreach (var version in new[] { "v4", "v5", "v6.2" })
        {
            yield return (version, () => SileroVadModel.Load(TestPaths.SharedFile("vad", $"silero_vad_{version}.onnx")));
        }

        yield return ("bundled", () => SileroVadModel.LoadBundled());
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
