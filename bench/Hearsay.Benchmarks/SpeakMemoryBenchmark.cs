using System.Diagnostics;
using System.Globalization;
using Hearsay.Client;
using Hearsay.Contracts.Audio;
using Hearsay.Testing;

namespace Hearsay.Benchmarks;

/// <summary>
/// Issue 13, defect 1: the server's peak resident memory for a long sentence without a full stop against a
/// 300-character one, at speeds 1 and 0.25, one request and two at once. Each case gets a fresh <c>hearsay serve</c>
/// (text-to-speech only) whose VmHWM is read when the case ends, so no peak is missed and no case inherits another's
/// memory; the resident set after the case shows what was given back. With <c>--before DLL</c> (a build of the code
/// before the change, e.g. main's) every case runs on both builds, side by side.
/// </summary>
internal static class SpeakMemoryBenchmark
{
    private const double AllowanceMiB = 50;

    private sealed record Case(string Name, int Characters, float Speed, int AtOnce);

    private sealed record Outcome(double PeakMiB, double AfterMiB, double Seconds, bool AllOk);

    public static async Task<int> RunAsync(string[] args)
    {
        var repo = TestPaths.RepoRoot;
        var voice = Path.GetFullPath(Option(args, "--voice") ?? Path.Combine(repo, "bench", "models", "piper-medium-dims", "voice.onnx"));
        if (!File.Exists(voice))
        {
            Console.Error.WriteLine($"No voice at {voice}: generate it with /usr/bin/python3 tools/testmodels/piper_real_dims.py");
            return 2;
        }

        var after = Option(args, "--cli") ?? Path.Combine(repo, "artifacts", "bin", "Hearsay.Cli", "release", "hearsay.dll");
        var builds = new List<(string Name, string Dll)> { ("after", after) };
        if (Option(args, "--before") is { } before)
        {
            builds.Insert(0, ("before", before));
        }

        var characters = ServeBenchmark.IntOption(args, "--characters", 4096);
        var slowCharacters = ServeBenchmark.IntOption(args, "--slow-characters", characters);
        Case[] cases =
        [
            new("300 characters, speed 1 (the reference)", 300, 1f, 1),
            new("300 characters, speed 0.25", 300, 0.25f, 1),
            new($"{characters} characters, speed 1", characters, 1f, 1),
            new($"{characters} characters, speed 1, two at once", characters, 1f, 2),
            new($"{slowCharacters} characters, speed 0.25", slowCharacters, 0.25f, 1),
            new($"{slowCharacters} characters, speed 0.25, two at once", slowCharacters, 0.25f, 2),
        ];
        // --cases 0,2 runs those cases only; --skip-before 5 spares the old build a case it cannot survive or finish in time.
        var only = Option(args, "--cases")?.Split(',').Select(int.Parse).ToHashSet();
        var skip = (Option(args, "--skip-before") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToHashSet();

        var allMet = true;
        Console.WriteLine($"speak-memory: voice {voice}; {Environment.ProcessorCount} cores; goal: peak ≤ the reference's + {AllowanceMiB} MiB");
        foreach (var (build, dll) in builds)
        {
            Console.WriteLine($"{build}: {dll}");
            double? reference = null;
            for (var i = 0; i < cases.Length; i++)
            {
                if ((only is not null && !only.Contains(i)) || (build == "before" && skip.Contains(i)))
                {
                    Console.WriteLine($"  {cases[i].Name,-48} skipped");
                    continue;
                }

                var outcome = await MeasureAsync(dll, voice, cases[i]);
                reference ??= outcome.PeakMiB;
                var met = outcome.AllOk && outcome.PeakMiB <= reference + AllowanceMiB;
                allMet &= build != "after" || met;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {cases[i].Name,-48} peak {outcome.PeakMiB,7:0} MiB, after {outcome.AfterMiB,7:0} MiB, {outcome.Seconds,6:0.0} s, {(outcome.AllOk ? "200" : "FAILED")}, goal {(met ? "met" : "NOT met")}"));
            }
        }

        return allMet ? 0 : 1;
    }

    private static async Task<Outcome> MeasureAsync(string cliDll, string voice, Case @case)
    {
        using var store = new TemporaryDirectory();
        await using var server = await ServeProcess.StartAsync(
            "dotnet", [cliDll, "serve", "--port", "0", "--stt", "none", "--tts", voice], store.Path);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        await ServeSpawnBenchmark.WaitForHealthyAsync(http, server);
        using var client = new HearsayClient(new Uri(server.Ready.Url), server.Ready.Token, http);
        var text = ServeProbeBenchmark.Words(@case.Characters);
        var started = Stopwatch.GetTimestamp();
        var results = await Task.WhenAll(Enumerable.Range(0, @case.AtOnce).Select(_ => SpeakAsync(client, text, @case.Speed)));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var peak = server.PeakResidentMiB();
        // Give the runtime a moment, as an idle server would have, before asking what it kept.
        await Task.Delay(TimeSpan.FromSeconds(2));
        return new Outcome(peak, server.ResidentMiB(), seconds, results.All(ok => ok));
    }

    private static async Task<bool> SpeakAsync(HearsayClient client, string text, float speed)
    {
        await using var body = await client.SpeakAsync(new SpeechRequest("tts-1", text, "alloy", ResponseFormat: "pcm", Speed: speed));
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return total > 0;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
