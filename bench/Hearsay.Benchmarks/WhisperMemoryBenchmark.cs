using System.Diagnostics;
using System.Globalization;
using Hearsay.Core.Onnx;
using Hearsay.Core.Stt.Whisper;
using Hearsay.Core.Stt.Whisper.Features;
using Hearsay.Testing;

namespace Hearsay.Benchmarks;

/// <summary>
/// Where a Whisper engine's memory and time go: the process's resident memory (anonymous and file-backed), the managed
/// heap and the wall time of each stage of a load and a 30 s window's work, so a change to any stage shows what it saved.
/// </summary>
internal static class WhisperMemoryBenchmark
{
    private const int Steps = 220;
    private static long _stageStarted = Stopwatch.GetTimestamp();

    public static async Task<int> RunAsync(string[] args)
    {
        var model = BenchTable.Option(args, "--model") ?? Path.Combine(TestPaths.RepoRoot, "bench", "models", "tiny.en");
        var threads = int.Parse(BenchTable.Option(args, "--threads") ?? "2", CultureInfo.InvariantCulture);
        Report("process started");
        using var engine = await WhisperSpeechToText.LoadAsync(model, new WhisperSessionOptions { Threads = new EngineThreads { Count = threads } });
        Report($"model loaded ({Path.GetFileName(engine.Files.EncoderPath)}, decoder on {engine.Model.DecoderBackend})");
        using var state = new WhisperDecoderState(engine.Model);
        Report("one decoder state");
        var info = engine.Info;
        var samples = new float[WhisperAudio.SampleRate * WhisperAudio.WindowSeconds];
        new LogMelSpectrogram(info.MelCount).ComputeWindow(samples, 0, 0, WhisperAudio.WindowFrames, state.Mel);
        for (var window = 1; window <= 3; window++)
        {
            state.Encode(CancellationToken.None);
            Report($"encoder run {window}");
            var decoder = state.TextDecoder;
            decoder.Start(info.SotSequence.ToList(), info.SotIndex, [], CancellationToken.None);
            for (var i = 0; i < Steps; i++)
            {
                decoder.Step(info.Eot - 1 - (i % 100), CancellationToken.None);
            }

            decoder.TakeLogSumExps();
            Report($"{Steps} decoder steps and their log-probabilities");
        }

        return 0;
    }

    private static void Report(string stage)
    {
        var status = File.ReadLines("/proc/self/status")
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1].Trim().Split(' ')[0]);
        double MiB(string field) => long.Parse(status[field], CultureInfo.InvariantCulture) / 1024.0;
        var heap = GC.GetGCMemoryInfo().HeapSizeBytes / (1024.0 * 1024.0);
        var ms = Stopwatch.GetElapsedTime(_stageStarted).TotalMilliseconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{stage,-70} {ms,6:0} ms; RSS {MiB("VmRSS"),6:0} MiB (anonymous {MiB("RssAnon"),4:0}, files {MiB("RssFile"),4:0}), peak {MiB("VmHWM"),4:0}; managed heap {heap,4:0} MiB"));
        _stageStarted = Stopwatch.GetTimestamp();
    }
}
