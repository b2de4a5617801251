using System.Diagnostics;
using System.Globalization;
using Hearsay.Core.Tts.Phonemization;
using Hearsay.Core.Tts.Phonemization.Portable;
using Hearsay.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hearsay.Benchmarks;

/// <summary>
/// The portable phonemizer against the native espeak-ng program, on the same sentences in one run (ADR 0010): time per
/// sentence after warm-up (goal: portable ≤ 2 ms median), the worker's start to its ready line (goal ≤ 200 ms, with the
/// compiled module cached) and its resident memory. Build the CLI first (its worker mode is what runs):
/// <c>dotnet build src/Hearsay.Cli -c Release</c>; <c>--published DIR</c> runs a folder <c>eng/publish.sh</c> wrote
/// instead (its <c>hearsay</c> and its <c>espeak-ng-portable</c>), as apps ship it.
/// </summary>
internal static class PhonemizerBenchmark
{
    private const double SentenceGoalMs = 2;
    private const double StartGoalMs = 200;

    public static async Task<int> RunAsync(string[] args)
    {
        var starts = int.Parse(BenchTable.Option(args, "--starts") ?? "10", CultureInfo.InvariantCulture);
        var sentences = File.ReadAllLines(TestPaths.SharedFile("audio", "transcripts.tsv"))
            .Select(line => line.Split('\t'))
            .Where(fields => fields.Length == 2)
            .Select(fields => fields[1])
            .ToList();
        var published = BenchTable.Option(args, "--published");
        var bundle = published is null ? PortableBundle.Program() : PortableBundle.Published(published);
        var worker = published is null ? PortableBundle.Worker() : PhonemizerWorkerCommand.Resolve(Path.Combine(published, "hearsay"));
        Console.WriteLine($"worker: {worker.FileName} {string.Join(' ', worker.Arguments)}");

        using var portable = new PortableEspeakNgRunner(bundle, worker, TimeSpan.FromSeconds(30), NullLogger.Instance);
        using var native = new EspeakNgRunner(new EspeakNgLocator().Locate(kind: PhonemizerKind.Native), TimeSpan.FromSeconds(30));
        var portableMs = await TimeSentencesAsync(portable, sentences);
        var nativeMs = await TimeSentencesAsync(native, sentences);
        var rssMiB = ProcessStatus.MiB(portable.WorkerProcessId!.Value, "VmRSS:");

        var startMs = new List<double>();
        for (var i = 0; i < starts; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var process = await PhonemizerWorker.StartAsync(worker, new PortableEspeakNgBundle(bundle.DataDirectory!), CancellationToken.None);
            startMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        Console.WriteLine($"phonemizer: {sentences.Count} sentences (the shared transcripts), 1 warm-up pass each, same text to both");
        Console.WriteLine($"{"",-34}{"median",10}{"p90",10}{"min",10}");
        BenchTable.Row("portable, per sentence (ms)", portableMs, 34);
        BenchTable.Row("native, per sentence (ms)", nativeMs, 34);
        BenchTable.Row($"worker start to ready, {starts}x (ms)", startMs, 34);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"native / portable (median): {BenchTable.Median(nativeMs) / BenchTable.Median(portableMs):0.0}x"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worker resident memory after {sentences.Count * 2} sentences: {rssMiB:0.0} MB"));
        var sentenceOk = BenchTable.Median(portableMs) <= SentenceGoalMs;
        var startOk = BenchTable.Median(startMs) <= StartGoalMs;
        Console.WriteLine($"portable median per sentence ≤ {SentenceGoalMs} ms: {(sentenceOk ? "PASS" : "FAIL")}");
        Console.WriteLine($"worker start median ≤ {StartGoalMs} ms: {(startOk ? "PASS" : "FAIL")}");
        return sentenceOk && startOk ? 0 : 1;
    }

    /// <summary>Each sentence once to warm up, then once timed.</summary>
    private static async Task<List<double>> TimeSentencesAsync(IEspeakNg espeakNg, List<string> sentences)
    {
        foreach (var sentence in sentences)
        {
            await espeakNg.PhonemizeAsync("en-us", sentence, CancellationToken.None);
        }

        var times = new List<double>();
        foreach (var sentence in sentences)
        {
            var started = Stopwatch.GetTimestamp();
            await espeakNg.PhonemizeAsync("en-us", sentence, CancellationToken.None);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return times;
    }
}
