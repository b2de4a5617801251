using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Hearsay.Client;
using Hearsay.Testing;

namespace Hearsay.Benchmarks;

/// <summary>
/// Issue 17's figures: one dictation session against <c>hearsay serve</c> (a child process, as an app runs it), fed
/// in real time in 40 ms blocks as a microphone would: clips with pauses, then a long silence. Per utterance, the
/// latency from its last voiced sample to its <c>completed</c> event beside the engine's own time for the decode it
/// came from (the server's debug log, event 2455: the early decode at the pause, or the final's own), and when that
/// decode ran and the VAD confirmed the stop; the gaps between interim results while
/// speech goes on; the server's CPU while nobody speaks; its resident memory idle, during the session and after it.
/// The pauses are long enough for each final to find the engine idle: the random-weight models fall back through
/// the temperatures on every window, so a final takes seconds, where real weights take a fraction of that.
/// Build first: <c>dotnet build src/Hearsay.Cli -c Release</c>, or publish (the published binary is used when present).
/// </summary>
internal static class DictateBenchmark
{
    /// <summary>OpenAI's default, which the session keeps.</summary>
    private const int SilenceDurationMs = 500;

    private const double LatencyMarginMs = 100;

    private const double InterimGapGoalSeconds = 1.5;

    private const double SilentCpuGoalPercent = 5;

    /// <summary>Single sentences, so that each is one utterance to the VAD: long, short, long, medium.</summary>
    private static readonly TimeSpan IdleCpuWindow = TimeSpan.FromSeconds(15);

    private static readonly string[] DefaultClips = ["lj_LJ001-0001.wav", "lj_LJ001-0002.wav", "lj_LJ001-0014.wav", "arctic_aew_a0001.wav"];

    public static async Task<int> RunAsync(string[] args)
    {
        var repo = TestPaths.RepoRoot;
        var model = Path.GetFullPath(BenchTable.Option(args, "--model") ?? Path.Combine(repo, "bench", "models", "tiny.en"));
        if (!Directory.Exists(model))
        {
            Console.Error.WriteLine($"No model at {model}: generate it with /usr/bin/python3 tools/testmodels/whisper_model.py --real-dims tiny.en");
            return 2;
        }

        if (ServerCommand(repo) is not var (program, prefix))
        {
            Console.Error.WriteLine($"No hearsay to run: {ServeBenchmark.PublishCommand}, or dotnet build src/Hearsay.Cli -c Release");
            return 2;
        }

        var threads = BenchTable.Option(args, "--threads") ?? "2";
        var silence = TimeSpan.FromSeconds(ServeBenchmark.IntOption(args, "--silent-seconds", 60));
        var clips = DefaultClips.Select(clip => TestPaths.SharedFile("audio", "wav16k", clip)).ToList();
        var pause = TimeSpan.FromSeconds(ServeBenchmark.IntOption(args, "--pause-seconds", 10));
        var script = await DictationScript.BuildAsync(clips, pause, silence);

        var decodes = new ConcurrentQueue<Decode>();
        using var store = new TemporaryDirectory();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        await using var server = await ServeProcess.StartAsync(
            program,
            [.. prefix, "serve", "--port", "0", "--stt", model, "--tts", "none", "--threads", threads, "--verbose", "--sampling-seed", "1"],
            store.Path,
            line => Collect(line, decodes));
        await ServeSpawnBenchmark.WaitForHealthyAsync(http, server);
        Console.Error.WriteLine($"dictate: {program} {string.Join(' ', prefix)}, {script.Utterances.Count} utterances, then {silence.TotalSeconds:0} s of silence, in real time");

        var memory = new List<(string Name, double MiB)> { ("idle, model loaded", server.ResidentMiB()) };
        var idleCpu = server.CpuTime();
        await Task.Delay(IdleCpuWindow);
        var idleCpuPercent = (server.CpuTime() - idleCpu) / IdleCpuWindow * 100;
        using var client = new HearsayClient(new Uri(server.Ready.Url), server.Ready.Token, http);
        // One upload first, so that the session's figures are not the engine's first-use allocations.
        await using (var warmUp = File.OpenRead(clips[0]))
        {
            await client.TranscribeAsync(warmUp, Path.GetFileName(clips[0]));
        }

        memory.Add(("after one upload's transcription", server.ResidentMiB()));
        var run = await SessionRun.RunAsync(client, script, server);
        memory.Add(("session, after the utterances", run.AfterSpeechMiB));
        memory.Add(("session, end of the silence", run.EndOfSilenceMiB));
        memory.Add(("session closed", server.ResidentMiB()));

        var report = new ServeReport();
        Report(report, script, run, [.. decodes], silence, idleCpuPercent);
        report.Section("Server resident memory");
        foreach (var (name, mib) in memory)
        {
            report.Row(name, string.Create(CultureInfo.InvariantCulture, $"{mib:0} MiB"));
        }

        report.Print(Console.Out);
        return report.AllGoalsMet ? 0 : 1;
    }

    /// <summary>The published binary when there is one, else the release build's dll through dotnet.</summary>
    private static (string Program, string[] Prefix)? ServerCommand(string repo)
    {
        var published = Path.Combine(repo, ServeBenchmark.PublishedBinary);
        if (File.Exists(published))
        {
            return (published, []);
        }

        var dll = Path.Combine(repo, "artifacts", "bin", "Hearsay.Cli", "release", "hearsay.dll");
        return File.Exists(dll) ? ("dotnet", [dll]) : null;
    }

    private static void Collect(string line, ConcurrentQueue<Decode> decodes)
    {
        if (RealtimeDecodeLog.Parse(line) is { } decode)
        {
            decodes.Enqueue(new Decode(decode.ItemId, decode.Kind, decode.Elapsed.TotalMilliseconds, Stopwatch.GetTimestamp()));
        }
    }

    private static void Report(
        ServeReport report, DictationScript script, SessionRun run, IReadOnlyList<Decode> decodes, TimeSpan silence, double idleCpuPercent)
    {
        report.Section($"Latency: last voiced sample to completed (silence_duration_ms {SilenceDurationMs} on top of the goal)");
        var gaps = new List<double>();
        for (var i = 0; i < script.Utterances.Count; i++)
        {
            var spoken = script.Utterances[i];
            var end = i + 1 < script.Utterances.Count ? script.Utterances[i + 1].Start : script.SilenceStart;
            var items = run.ItemsStartedBetween(spoken.Start, end);
            if (items.Count == 0)
            {
                report.Row(spoken.Clip, "no item", "the VAD heard no speech", "an item", met: false);
                continue;
            }

            var last = items[^1];
            var completed = run.CompletedAt(last);
            // The decode the transcript came from: the early one at the pause that ended the turn, or the final's own.
            var final = decodes.LastOrDefault(d => d.ItemId == last && d.Kind != "Interim");
            if (completed is not { } completedAt || final is null)
            {
                report.Row(spoken.Clip, "no completed", $"item {last}", "completed", met: false);
                continue;
            }

            // When, after the last voiced sample, the decode started and ended, the VAD confirmed the stop, the transcript came.
            var spokenEnd = (spoken.LastVoiced + 1.0) / DictationScript.Rate;
            var decodeEnd = run.SecondsAt(final.LoggedAt);
            var decodeStart = decodeEnd - (final.ElapsedMs / 1000);
            var stopped = run.SpeechStoppedAt(last) ?? double.NaN;
            var latencyMs = (completedAt - spokenEnd) * 1000;
            var goalMs = SilenceDurationMs + final.ElapsedMs + LatencyMarginMs;
            report.Row(
                string.Create(CultureInfo.InvariantCulture, $"{spoken.Clip} ({spokenEnd - ((double)spoken.Start / DictationScript.Rate):0.0} s)"),
                ServeReport.Ms(latencyMs),
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{final.Kind.ToLowerInvariant()} decode {final.ElapsedMs:0} ms from +{(decodeStart - spokenEnd) * 1000:0}, stop +{(stopped - spokenEnd) * 1000:0}; {items.Count} item(s), {decodes.Count(d => items.Contains(d.ItemId) && d.Kind == "Interim")} interim decodes"),
                string.Create(CultureInfo.InvariantCulture, $"≤ {goalMs:0} ms"),
                latencyMs <= goalMs);
            gaps.AddRange(items.SelectMany(run.InterimGaps));
        }

        report.Section("Interim results while speech goes on (seconds between them, the first after speech_started)");
        report.Row(
            "largest gap",
            gaps.Count == 0 ? "none" : string.Create(CultureInfo.InvariantCulture, $"{gaps.Max():0.00} s"),
            gaps.Count == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"n={gaps.Count}, median {ServeReport.Median(gaps):0.00} s"),
            $"≤ {InterimGapGoalSeconds} s",
            gaps.Count > 0 && gaps.Max() <= InterimGapGoalSeconds);
        var interims = decodes.Where(d => d.Kind == "Interim").Select(d => d.ElapsedMs).ToList();
        if (interims.Count > 0)
        {
            report.Row("interim decode", ServeReport.Ms(ServeReport.Median(interims)), ServeReport.Spread(interims));
        }

        report.Section($"While nobody speaks ({run.SilentCpuSeconds.Wall:0} s of the {silence.TotalSeconds:0} s silence, after the last transcript)");
        var cpuPercent = run.SilentCpuSeconds.Cpu / run.SilentCpuSeconds.Wall * 100;
        report.Row(
            "server CPU", string.Create(CultureInfo.InvariantCulture, $"{cpuPercent:0.00} %"), "of one core: the VAD's frames and the socket",
            $"≤ {SilentCpuGoalPercent} %", cpuPercent <= SilentCpuGoalPercent);
        report.Row(
            "server CPU without a session", string.Create(CultureInfo.InvariantCulture, $"{idleCpuPercent:0.00} %"),
            $"over {IdleCpuWindow.TotalSeconds:0} s before the session: what the session's share is measured against");
    }

    /// <summary>One decode as the server logged it, and when the line arrived (a <see cref="Stopwatch"/> timestamp).</summary>
    private sealed record Decode(string ItemId, string Kind, double ElapsedMs, long LoggedAt);
}
