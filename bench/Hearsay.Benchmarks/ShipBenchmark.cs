using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Hearsay.Testing;

namespace Hearsay.Benchmarks;

/// <summary>
/// What an app that bundles Hearsay gets: the published size per platform (budget: hearsay without the native libraries
/// and the portable phonemizer ≤ 35 MB, everything ≤ 110 MB), the cold start of the published linux binary to its ready line, and a first run: an
/// empty store, the repo's test models on a local mirror, download both, until <c>/health/ready</c>.
/// </summary>
internal static class ShipBenchmark
{
    private static readonly string[] Platforms = ["linux-x64", "linux-arm64", "win-x64", "win-arm64", "osx-arm64"];

    private static readonly string[] OnnxRuntimeLibraries = ["libonnxruntime.so", "libonnxruntime.dylib", "onnxruntime.dll"];

    private static readonly string[] WasmtimeLibraries = ["libwasmtime.so", "libwasmtime.dylib", "wasmtime.dll"];

    public static async Task<int> RunAsync(string[] args)
    {
        var repo = TestPaths.RepoRoot;
        var spawns = ServeBenchmark.IntOption(args, "--spawns", 10);
        var report = new ServeReport();

        report.Section("1. published size (eng/publish.sh RID; MB = 10^6 bytes)");
        foreach (var platform in Platforms)
        {
            var folder = Path.Combine(repo, "artifacts", "publish", platform);
            if (!args.Contains("--no-publish"))
            {
                Console.Error.WriteLine($"ship: publishing {platform}");
                if (await PublishAsync(repo, platform, folder) is { } failure)
                {
                    report.Row($"{platform}: not published", "-", failure);
                    continue;
                }
            }

            ReportSize(report, platform, folder);
        }

        var binary = Path.Combine(repo, ServeBenchmark.PublishedBinary);
        using var store = new TemporaryDirectory();
        report.Section($"2. cold start of the published linux-x64 binary → ready line (median of {spawns} after 1 warm-up)");
        await ServeSpawnBenchmark.MeasureAsync(
            report, "spawn → ready line", binary, ["serve", "--port", "0", "--stt", "none", "--tts", "none"], store.Path, spawns, awaitModels: false);

        report.Section("3. first run: empty store, test models on a local mirror (127.0.0.1), download both → /health/ready");
        await FirstRunAsync(report, binary);

        report.Print(Console.Out);
        return report.AllGoalsMet ? 0 : 1;
    }

    private static void ReportSize(ServeReport report, string platform, string folder)
    {
        var files = Directory.GetFiles(folder);
        var onnxRuntime = files.Where(file => OnnxRuntimeLibraries.Contains(Path.GetFileName(file))).Sum(Length);
        var wasmtime = files.Where(file => WasmtimeLibraries.Contains(Path.GetFileName(file))).Sum(Length);
        var phonemizerFolder = Path.Combine(folder, "espeak-ng-portable");
        var phonemizer = Directory.Exists(phonemizerFolder) ? Directory.GetFiles(phonemizerFolder, "*", SearchOption.AllDirectories).Sum(Length) : 0;
        var rest = files.Sum(Length) - onnxRuntime - wasmtime;
        var total = rest + onnxRuntime + wasmtime + phonemizer;
        var others = files.Select(Path.GetFileName).Where(name => !OnnxRuntimeLibraries.Contains(name) && !WasmtimeLibraries.Contains(name));
        report.Row($"{platform}: hearsay", Mb(rest), string.Join(", ", others), "≤ 35 MB", rest <= 35_000_000);
        report.Row($"{platform}: total", Mb(total), $"ONNX Runtime {Mb(onnxRuntime)}, Wasmtime {Mb(wasmtime)}, portable phonemizer {Mb(phonemizer)}",
            "≤ 110 MB", total <= 110_000_000);
    }

    private static async Task FirstRunAsync(ServeReport report, string binary)
    {
        await using var registry = await ModelRegistry.StartAsync();
        Environment.SetEnvironmentVariable("HEARSAY_CATALOG", registry.CatalogPath);
        var spawned = Stopwatch.GetTimestamp();
        await using var server = await ServeProcess.StartAsync(
            binary, ["serve", "--port", "0", "--stt", ModelRegistry.Whisper, "--tts", ModelRegistry.Voice], registry.StoreRoot);
        var readyLine = Stopwatch.GetElapsedTime(spawned);
        using var http = new HttpClient { BaseAddress = new Uri(server.Ready.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Ready.Token);
        foreach (var id in new[] { ModelRegistry.Whisper, ModelRegistry.Voice })
        {
            using var started = await http.PostAsync(new Uri($"/v1/catalog/models/{id}/download", UriKind.Relative), content: null);
            if (started.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"Download of {id} did not start: {(int)started.StatusCode} {await started.Content.ReadAsStringAsync()}");
            }
        }

        await ServeSpawnBenchmark.WaitForHealthyAsync(http, server);
        var ready = Stopwatch.GetElapsedTime(spawned);
        var bytes = Directory.GetFiles(registry.StoreRoot, "*", SearchOption.AllDirectories).Sum(Length);
        report.Row("spawn → ready line", ServeReport.Ms(readyLine.TotalMilliseconds));
        report.Row("spawn → both models downloaded, verified and loaded", ServeReport.Ms(ready.TotalMilliseconds), $"{Mb(bytes)} of test models in the store");
    }

    /// <summary>Runs eng/publish.sh; null when it succeeded, else the first error line it printed (e.g. a runtime pack the NuGet feed lacks).</summary>
    private static async Task<string?> PublishAsync(string repo, string platform, string folder)
    {
        var startInfo = new ProcessStartInfo(Path.Combine(repo, "eng", "publish.sh"), [platform, folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var lines = (await output + await errors).Split('\n');
        return process.ExitCode == 0
            ? null
            : lines.FirstOrDefault(line => line.Contains("error", StringComparison.Ordinal))?.Trim() ?? $"exit code {process.ExitCode}";
    }

    private static long Length(string file) => new FileInfo(file).Length;

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB");
}
