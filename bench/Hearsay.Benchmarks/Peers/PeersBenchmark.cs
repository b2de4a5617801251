using System.Globalization;
using Hearsay.Testing;

namespace Hearsay.Benchmarks.Peers;

/// <summary>
/// Hearsay beside whisper.cpp and sherpa-onnx on the same machine, the same real-dimension random-weight models
/// (converted for each engine by bench/peers/run.sh) and the same files, every figure of issue 16's table from
/// one command. Each round runs every figure's sides back to back as separate processes, Hearsay first in odd rounds
/// and the peer first in even ones, and logs the 1-minute load before and after each process. The weights are
/// random, so the engines are compared on time and memory for the same work, never on transcripts: whisper.cpp
/// decodes without timestamps or fallback, which makes it run every window to its 220-token limit, the workload
/// Hearsay's own transcribe benchmark fixes.
/// </summary>
internal static class PeersBenchmark
{
    private const int Threads = 2;
    private const int SpeakWarmUps = 2;
    private const int SpeakIterations = 5;
    private const string ThreeSentences =
        "The quick brown fox jumps over the lazy dog. Is the first chunk out before the second sentence starts? It should be, by design!";

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = int.Parse(BenchTable.Option(args, "--rounds") ?? "3", CultureInfo.InvariantCulture);
        var save = !args.Contains("--no-save");
        var precision = BenchTable.Option(args, "--precision") ?? "fp32";
        if (precision is not ("fp32" or "int8"))
        {
            Console.Error.WriteLine($"--precision is fp32 or int8, not {precision}.");
            return 2;
        }

        var paths = PeerPaths.Resolve(BenchTable.Option(args, "--model") ?? "tiny.en", precision == "int8", BenchTable.Option(args, "--whisper-cli"));
        var missing = paths.MissingForHearsay().ToList();
        if (missing.Count > 0)
        {
            Console.Error.WriteLine($"Missing for Hearsay: {string.Join("; ", missing)}. bench/peers/run.sh makes everything.");
            return 2;
        }

        var missingWhisperCpp = paths.MissingForWhisperCpp().ToList();
        var missingSherpa = paths.MissingForSherpaOnnx().ToList();
        var name = paths.Label;
        var table = new PeerTable();
        var figures = new Figures(
            EncoderWhisperCpp: table.Add($"{name} encoder, ms per 30 s window", "ms", "whisper.cpp"),
            EncoderOrt: table.Add($"{name} encoder, ms per 30 s window", "ms", "raw ONNX Runtime"),
            Step: table.Add($"{name} decoder step, ms per token", "ms", "whisper.cpp"),
            StepWithProbabilities: table.Add($"{name} decoder step + log-probabilities/sampling, ms/token", "ms", "whisper.cpp"),
            FixedWorkload: table.Add("107 s clip, fixed workload, load excluded", "s", "whisper.cpp"),
            PeakRss: table.Add($"peak RSS, transcribe 107 s, {name}", "MiB", "whisper.cpp"),
            ServeIdle: table.Add($"serve, {name} + medium voice: idle", "MiB", null),
            ServeAfter: table.Add("serve: after 20 mixed requests", "MiB", null),
            WholeJfk: table.Add("whole transcribe of jfk.wav (11 s), wall", "s", "sherpa-onnx"),
            WholeJfkSameTokens: table.Add("the same, Hearsay's tokens capped at sherpa-onnx's", "s", "sherpa-onnx"),
            SpeakTotal: table.Add("Piper medium dims, 3 sentences: total", "ms", "sherpa-onnx"),
            SpeakFirst: table.Add("Piper medium dims, 3 sentences: first audio", "ms", "sherpa-onnx"));
        figures.NoteMissing(missingWhisperCpp, missingSherpa);
        var loadAtStart = MeasuredProcess.Load();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"peers: {name}, {Threads} threads everywhere, {rounds} rounds, {Environment.ProcessorCount} cores, load {loadAtStart:0.00}"));
        Console.WriteLine($"  Hearsay: {paths.CliDll} (transcribe, serve) and {paths.BenchDll} (per-window, per-token and speak figures)");
        Console.WriteLine($"  whisper.cpp: {(missingWhisperCpp.Count == 0 ? $"{paths.WhisperCli}, {paths.Ggml} ({(paths.Int8 ? "q8_0" : "f16")})" : "missing")}");
        Console.WriteLine($"  sherpa-onnx: {(missingSherpa.Count == 0 ? $"{paths.SherpaModules} ({(paths.Int8 ? "int8" : "fp32")} Whisper files, as Hearsay's Auto), espeak-ng data {paths.EspeakNgData}" : "missing")}");
        var steps = new PeerSteps(paths, figures, Threads);
        for (var round = 1; round <= rounds; round++)
        {
            Console.WriteLine($"round {round}:");
            var hearsayFirst = round % 2 == 1;
            await InOrderAsync(hearsayFirst, steps.HearsayWindowsAsync, missingWhisperCpp.Count == 0 ? steps.WhisperCppAsync : null);
            await steps.RawOrtEncoderAsync();
            await steps.HearsayLongTranscribeAsync();
            await InOrderAsync(hearsayFirst, steps.HearsayJfkAsync, missingSherpa.Count == 0 ? steps.SherpaJfkAsync : null);
            if (missingSherpa.Count == 0)
            {
                // After sherpa-onnx's run, which says how many tokens it decoded; compared with that same run.
                await steps.HearsayJfkSameTokensAsync();
            }

            await InOrderAsync(hearsayFirst, () => steps.HearsaySpeakAsync(ThreeSentences, SpeakWarmUps, SpeakIterations),
                missingSherpa.Count == 0 ? () => steps.SherpaSpeakAsync(ThreeSentences, SpeakWarmUps, SpeakIterations) : null);
            await steps.ServeAsync(ThreeSentences);
        }

        table.Print();
        var loadAtEnd = MeasuredProcess.Load();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load at the end {loadAtEnd:0.00}"));
        Compare(table, PeerResults.Of(table, rounds, [loadAtStart, .. steps.Loads, loadAtEnd], TestPaths.RepoRoot), paths.ResultsName, save);
        return 0;
    }

    /// <summary>Prints the figures beside the previous run's, then, unless <paramref name="save"/> is false, replaces those.</summary>
    private static void Compare(PeerTable table, PeerResults results, string resultsName, bool save)
    {
        var path = PeerResults.PathFor(TestPaths.RepoRoot, resultsName);
        var source = Path.GetRelativePath(TestPaths.RepoRoot, path);
        if (PeerResults.Read(path) is { } previous)
        {
            PeerChanges.Print(table, previous, source);
        }
        else
        {
            Console.WriteLine($"no previous run in {source}");
        }

        if (save)
        {
            results.Write(path);
            Console.WriteLine($"saved to {source} (--no-save leaves it as it was)");
        }
    }

    private static async Task InOrderAsync(bool hearsayFirst, Func<Task> hearsay, Func<Task>? peer)
    {
        if (!hearsayFirst && peer is not null)
        {
            await peer();
        }

        await hearsay();
        if (hearsayFirst && peer is not null)
        {
            await peer();
        }
    }
}
