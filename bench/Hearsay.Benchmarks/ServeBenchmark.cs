using System.Globalization;
using Hearsay.Testing;

namespace Hearsay.Benchmarks;

/// <summary>Where the serve benchmark finds its models, clips and binaries, and how long it runs.</summary>
/// <param name="SttModel">The Whisper model folder both paths load.</param>
/// <param name="Voice">The Piper voice both paths load.</param>
/// <param name="LongClip">The ~10 s clip for the HTTP overhead.</param>
/// <param name="ShortClip">The short clip the soak transcribes.</param>
/// <param name="CliDll">The framework-dependent CLI, run with <c>dotnet</c>.</param>
/// <param name="PublishedBinary">The self-contained single-file CLI, measured when it exists.</param>
/// <param name="ModelsDirectory">An empty model store for every server the benchmark starts.</param>
/// <param name="Spawns">Spawns per start-up figure.</param>
/// <param name="Iterations">Timed transcription pairs; figures that take milliseconds take ten times as many.</param>
/// <param name="SoakSeconds">How long the soak runs.</param>
/// <param name="Clients">Concurrent clients in the soak.</param>
internal sealed record ServeSettings(
    string SttModel,
    string Voice,
    string LongClip,
    string ShortClip,
    string CliDll,
    string PublishedBinary,
    string ModelsDirectory,
    int Spawns,
    int Iterations,
    int SoakSeconds,
    int Clients)
{
    /// <summary>Timed runs of each figure that takes milliseconds: the speeches and the upload alone.</summary>
    public int ShortRuns => Iterations * 10;
}

/// <summary>
/// The sidecar's figures in one run: spawn to ready line (goal ≤ 1 s), what HTTP adds to a transcription and a speech
/// (goal ≤ 5 %), the first audio byte of a streamed speech, and a soak with concurrent clients (no errors, flat memory).
/// Build first: <c>dotnet build src/Hearsay.Cli -c Release</c> (the children run its <c>hearsay.dll</c>).
/// </summary>
internal static class ServeBenchmark
{
    public const string PublishCommand = "eng/publish.sh linux-x64";

    /// <summary>Where <see cref="PublishCommand"/> puts the binary, relative to the repo root.</summary>
    public static readonly string PublishedBinary = Path.Combine("artifacts", "publish", "linux-x64", "hearsay");

    public static async Task<int> RunAsync(string[] args)
    {
        var repo = TestPaths.RepoRoot;
        var sttModel = Path.GetFullPath(Option(args, "--stt-model") ?? Path.Combine(repo, "bench", "models", "tiny.en"));
        if (!Directory.Exists(sttModel))
        {
            Console.Error.WriteLine($"No model at {sttModel}: generate it with /usr/bin/python3 tools/testmodels/whisper_model.py --real-dims tiny.en");
            return 2;
        }

        var cli = Path.Combine(repo, "artifacts", "bin", "Hearsay.Cli", "release", "hearsay.dll");
        if (!File.Exists(cli))
        {
            Console.Error.WriteLine($"No CLI at {cli}: build it with dotnet build src/Hearsay.Cli -c Release");
            return 2;
        }

        using var store = new TemporaryDirectory();
        var settings = new ServeSettings(
            sttModel,
            Path.GetFullPath(Option(args, "--voice") ?? PiperExpectations.SingleSpeakerVoice),
            TestPaths.SharedFile("audio", "wav16k", "lj_LJ001-0014.wav"),
            TestPaths.SharedFile("audio", "wav16k", "lj_LJ001-0002.wav"),
            cli,
            Option(args, "--published") ?? Path.Combine(repo, PublishedBinary),
            store.Path,
            IntOption(args, "--spawns", 10),
            IntOption(args, "--iterations", 10),
            IntOption(args, "--soak-seconds", 300),
            IntOption(args, "--clients", 4));

        var loadBefore = LoadAverage();
        var report = new ServeReport();
        // --only spawn|overhead|soak|probe runs one part, e.g. to study the soak's memory under other runtime settings.
        var only = Option(args, "--only");
        if (only is null or "spawn")
        {
            await ServeSpawnBenchmark.RunAsync(settings, report);
        }

        if (only is null or "overhead")
        {
            await ServeOverheadBenchmark.RunAsync(settings, report);
        }

        if (only is null or "soak")
        {
            await ServeSoakBenchmark.RunAsync(settings, report);
        }

        // The probe's hostile and overload cases run only when asked: they are a robustness report, not a speed figure.
        if (only is "probe")
        {
            await ServeProbeBenchmark.RunAsync(settings, report);
        }

        Console.WriteLine($"serve: STT {settings.SttModel}, voice {settings.Voice}");
        Console.WriteLine($"{Environment.ProcessorCount} cores; load average (1/5/15 min) {loadBefore} before, {LoadAverage()} after");
        report.Print(Console.Out);
        return report.AllGoalsMet ? 0 : 1;
    }

    /// <summary>The first three fields of <c>/proc/loadavg</c>: other work on the machine skews every figure.</summary>
    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "unknown";

    public static int IntOption(string[] args, string name, int fallback) =>
        Option(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
