using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Hearsay.Benchmarks;

/// <summary>
/// Spawn to ready line of <c>hearsay serve</c> as a child process, without models and with both configured (they load
/// after the ready line, so its time should not change; the time until both are ready is reported beside it), for the
/// framework-dependent build and, when there is one, the published self-contained single-file binary.
/// </summary>
internal static class ServeSpawnBenchmark
{
    private const double GoalMs = 1000;

    public static async Task RunAsync(ServeSettings settings, ServeReport report)
    {
        report.Section($"1. spawn → ready line on stdout (median of {settings.Spawns} spawns after 1 warm-up)");
        string[] noModels = ["serve", "--port", "0", "--stt", "none", "--tts", "none"];
        string[] withModels = ["serve", "--port", "0", "--stt", settings.SttModel, "--tts", settings.Voice];
        await MeasureAsync(report, "dotnet hearsay.dll, --stt/--tts none", "dotnet", [settings.CliDll, .. noModels], settings.ModelsDirectory, settings.Spawns, awaitModels: false);
        await MeasureAsync(report, "dotnet hearsay.dll, both models", "dotnet", [settings.CliDll, .. withModels], settings.ModelsDirectory, settings.Spawns, awaitModels: true);
        if (File.Exists(settings.PublishedBinary))
        {
            var folder = Directory.GetFiles(Path.GetDirectoryName(settings.PublishedBinary)!).Sum(f => new FileInfo(f).Length);
            report.Row("single-file binary size", string.Create(CultureInfo.InvariantCulture, $"{new FileInfo(settings.PublishedBinary).Length / 1048576.0:0} MiB"),
                string.Create(CultureInfo.InvariantCulture, $"{folder / 1048576.0:0} MiB with the files beside it (native ONNX Runtime, symbols, docs)"));
            await MeasureAsync(report, "single-file binary, --stt/--tts none", settings.PublishedBinary, noModels, settings.ModelsDirectory, settings.Spawns, awaitModels: false);
            await MeasureAsync(report, "single-file binary, both models", settings.PublishedBinary, withModels, settings.ModelsDirectory, settings.Spawns, awaitModels: true);
        }
        else
        {
            report.Row("single-file binary", "skipped", $"no {settings.PublishedBinary}; publish it as the usage says");
        }
    }

    /// <summary>Spawns <paramref name="program"/> once to warm the disk cache, then <paramref name="spawns"/> times, and reports the median time to its ready line (and, with <paramref name="awaitModels"/>, to both models loaded).</summary>
    public static async Task MeasureAsync(
        ServeReport report, string name, string program, string[] arguments, string modelsDirectory, int spawns, bool awaitModels)
    {
        Console.Error.WriteLine($"spawn: {name}");
        var toReady = new List<double>();
        var toModels = new List<double>();
        using var http = new HttpClient();
        for (var i = 0; i <= spawns; i++)
        {
            var spawned = Stopwatch.GetTimestamp();
            await using var server = await ServeProcess.StartAsync(program, arguments, modelsDirectory);
            if (awaitModels)
            {
                await WaitForHealthyAsync(http, server);
            }

            // The first spawn warms the disk cache and is not counted.
            if (i > 0)
            {
                toReady.Add(server.TimeToReady.TotalMilliseconds);
                toModels.Add(Stopwatch.GetElapsedTime(spawned).TotalMilliseconds);
            }
        }

        var median = ServeReport.Median(toReady);
        report.Row(name, ServeReport.Ms(median), ServeReport.Spread(toReady), "≤ 1000 ms", median <= GoalMs);
        if (awaitModels)
        {
            report.Row("  → /health/ready 200 (both loaded)", ServeReport.Ms(ServeReport.Median(toModels)), ServeReport.Spread(toModels));
        }
    }

    /// <summary>Polls <c>/health/ready</c> (no token needed) until both capabilities are ready.</summary>
    public static async Task WaitForHealthyAsync(HttpClient http, ServeProcess server)
    {
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 60);
        var ready = new Uri(new Uri(server.Ready.Url), "/health/ready");
        while (true)
        {
            using (var response = await http.GetAsync(ready))
            {
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new InvalidOperationException($"The models did not load within 60 s: {server.LastErrors()}");
            }

            await Task.Delay(10);
        }
    }
}
