using System.Diagnostics;
using System.Globalization;
using Hearsay.Client;
using Hearsay.Contracts.Audio;

namespace Hearsay.Benchmarks;

/// <summary>
/// The sidecar as a child process under steady load: concurrent clients on loopback, each alternating a short
/// transcription and a two-sentence speech for the given time. Reports throughput, latency per kind, every answer's
/// status (429 is the server shedding load as designed, not an error; any other non-200, a broken transfer or a bad
/// body is), and the server's resident memory over the run, which should stay flat.
/// </summary>
internal static class ServeSoakBenchmark
{
    private const string Speech = "The quick brown fox jumps over the lazy dog. Hearsay speaks each sentence as soon as it is ready.";

    private const int RssSamples = 10;

    private const double RssGrowthGoalPercent = 5;

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(2);

    private enum Kind
    {
        Transcription,
        Speech,
    }

    public static async Task RunAsync(ServeSettings settings, ServeReport report)
    {
        var clip = await File.ReadAllBytesAsync(settings.ShortClip);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        await using var server = await ServeProcess.StartLoadedAsync(settings, http);
        using var client = new HearsayClient(new Uri(server.Ready.Url), server.Ready.Token, http);
        // One of each first, so that the start figure is after first-use allocations rather than before them.
        var warmUp = new Tally();
        await RequestAsync(client, Kind.Transcription, clip, warmUp);
        await RequestAsync(client, Kind.Speech, clip, warmUp);
        var rss = new List<(double Seconds, double MiB)> { (0, server.ResidentMiB()) };

        Console.Error.WriteLine($"soak: {settings.Clients} clients for {settings.SoakSeconds} s");
        var tally = new Tally();
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(settings.SoakSeconds * (double)Stopwatch.Frequency);
        using var stopSampling = new CancellationTokenSource();
        var sampling = SampleRssAsync(server, settings.SoakSeconds, started, rss, stopSampling.Token);
        await Task.WhenAll(Enumerable.Range(0, settings.Clients).Select(i => ClientAsync(client, clip, (Kind)(i % 2), deadline, tally)));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await stopSampling.CancelAsync();
        await sampling;
        rss.Add((elapsed, server.ResidentMiB()));

        Report(settings, report, tally, elapsed, rss, warmUp.Errors);
    }

    /// <summary>One client: alternates the two kinds until the deadline; a 429 waits as Retry-After says (at most 1 s).</summary>
    private static async Task ClientAsync(HearsayClient client, byte[] clip, Kind first, long deadline, Tally tally)
    {
        var kind = first;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var retryAfter = await RequestAsync(client, kind, clip, tally);
            if (retryAfter is { } wait)
            {
                await Task.Delay(wait);
            }

            kind = kind == Kind.Transcription ? Kind.Speech : Kind.Transcription;
        }
    }

    /// <summary>Sends one request and records its outcome; returns how long to wait when the server answered 429.</summary>
    private static async Task<TimeSpan?> RequestAsync(HearsayClient client, Kind kind, byte[] clip, Tally tally)
    {
        using var timeout = new CancellationTokenSource(RequestTimeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var valid = kind == Kind.Transcription
                ? (await client.TranscribeToAsync(new MemoryStream(clip), "short.wav", "json", cancellationToken: timeout.Token)).Contains("\"text\"", StringComparison.Ordinal)
                : await SpeakAsync(client, timeout.Token) > 44;
            tally.Record(kind, valid ? "200" : "200, bad body", Stopwatch.GetElapsedTime(started).TotalMilliseconds, isError: !valid);
            return null;
        }
        catch (HearsayApiException e)
        {
            var status = ((int)e.StatusCode).ToString(CultureInfo.InvariantCulture);
            var shed = (int)e.StatusCode == 429;
            tally.Record(kind, status, latencyMs: null, isError: !shed);
            return shed ? TimeSpan.FromSeconds(Math.Min(1, e.RetryAfter?.TotalSeconds ?? 0.2)) : null;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            tally.Record(kind, timeout.IsCancellationRequested ? "timeout" : e.GetType().Name, latencyMs: null, isError: true);
            return null;
        }
    }

    private static async Task<long> SpeakAsync(HearsayClient client, CancellationToken cancellationToken)
    {
        await using var body = await client.SpeakAsync(new SpeechRequest("tts-1", Speech, "alloy", ResponseFormat: "wav"), cancellationToken);
        using var received = new MemoryStream();
        await body.CopyToAsync(received, cancellationToken);
        return received.Length;
    }

    private static async Task SampleRssAsync(ServeProcess server, int soakSeconds, long started, List<(double, double)> rss, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, soakSeconds / (double)RssSamples)));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                rss.Add((Stopwatch.GetElapsedTime(started).TotalSeconds, server.ResidentMiB()));
            }
        }
        catch (OperationCanceledException)
        {
            // The soak is over.
        }
    }

    private static void Report(ServeSettings settings, ServeReport report, Tally tally, double elapsed, List<(double Seconds, double MiB)> rss, int warmUpErrors)
    {
        var ok = tally.Latencies.Values.Sum(l => l.Count);
        report.Section(string.Create(CultureInfo.InvariantCulture,
            $"4. soak: {settings.Clients} clients for {elapsed:0} s against the child process, each alternating transcription and speech"));
        report.Row("throughput (answered 200)", string.Create(CultureInfo.InvariantCulture, $"{ok / elapsed:0.00} req/s"), $"{ok} requests");
        foreach (var kind in Enum.GetValues<Kind>())
        {
            var what = kind == Kind.Transcription ? $"transcription, {Path.GetFileName(settings.ShortClip)}, json" : "speech, 2 sentences, wav";
            var latencies = tally.Latencies[kind];
            report.Row($"{what}: p50", ServeReport.Ms(ServeReport.Median(latencies)),
                string.Create(CultureInfo.InvariantCulture, $"p95 {ServeReport.Percentile(latencies, 0.95):0.0} ms, n={latencies.Count}"));
            report.Row($"{what}: statuses", "", string.Join(", ", tally.Statuses[kind].OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        }

        var shed = tally.Statuses.Values.Sum(s => s.GetValueOrDefault("429"));
        report.Row("429 busy (expected under load)", shed.ToString(CultureInfo.InvariantCulture));
        var errors = tally.Errors + warmUpErrors;
        report.Row("errors (5xx, other 4xx, broken or bad bodies)", errors.ToString(CultureInfo.InvariantCulture), "", "0", errors == 0);

        // A leak grows for as long as the load lasts; a heap that is still settling (allocations the GC has not yet been
        // asked to reclaim, thread and buffer pools sized by the concurrency) grows early and then levels off. The
        // verdict is on the second half; the whole curve is printed beside it.
        var (midSeconds, midMiB) = rss.First(s => s.Seconds >= elapsed / 2);
        var end = rss[^1].MiB;
        var growth = 100 * (end - midMiB) / midMiB;
        report.Row("server RSS, idle at start → end", string.Create(CultureInfo.InvariantCulture, $"{rss[0].MiB:0} → {end:0} MiB"),
            string.Create(CultureInfo.InvariantCulture, $"max {rss.Max(s => s.MiB):0} MiB; idle means after one request of each kind"));
        report.Row("server RSS growth over the second half", string.Create(CultureInfo.InvariantCulture, $"{growth:+0.0;-0.0} %"),
            string.Create(CultureInfo.InvariantCulture, $"{midMiB:0} MiB at {midSeconds:0} s → {end:0} MiB at {elapsed:0} s"),
            string.Create(CultureInfo.InvariantCulture, $"flat (≤ +{RssGrowthGoalPercent} %)"), growth <= RssGrowthGoalPercent);
        report.Row("  samples (s: MiB)", "", string.Join(", ", rss.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Seconds:0}: {s.MiB:0}"))));
    }

    /// <summary>Outcomes by kind, shared by the clients.</summary>
    private sealed class Tally
    {
        private readonly Lock _gate = new();

        public Dictionary<Kind, List<double>> Latencies { get; } = new() { [Kind.Transcription] = [], [Kind.Speech] = [] };

        public Dictionary<Kind, Dictionary<string, int>> Statuses { get; } = new() { [Kind.Transcription] = [], [Kind.Speech] = [] };

        public int Errors { get; private set; }

        public void Record(Kind kind, string status, double? latencyMs, bool isError)
        {
            lock (_gate)
            {
                Statuses[kind][status] = Statuses[kind].GetValueOrDefault(status) + 1;
                if (latencyMs is { } latency)
                {
                    Latencies[kind].Add(latency);
                }

                Errors += isError ? 1 : 0;
            }
        }
    }
}
