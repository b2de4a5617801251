using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Hearsay.Client;
using Hearsay.Contracts.Audio;

namespace Hearsay.Benchmarks;

/// <summary>
/// The adversarial probe's load cases against the sidecar as a child process: bursts of concurrent transcriptions and
/// speeches (the server must answer 200 or 429, never fail), slow clients that trickle their headers or bodies or never
/// read the answer (the server must drop them and keep serving others), and the hostile inputs of issue 13 (a
/// 4,096-character sentence without a full stop, a 200 KB prompt, hours of audio in a small file), each with the
/// server's status counts, answer times and resident memory.
/// </summary>
internal static class ServeProbeBenchmark
{
    private const string TwoSentences = "The quick brown fox jumps over the lazy dog. Hearsay speaks each sentence as soon as it is ready.";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(3);

    public static async Task RunAsync(ServeSettings settings, ServeReport report)
    {
        var clip = await File.ReadAllBytesAsync(settings.ShortClip);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        await using var server = await ServeProcess.StartLoadedAsync(settings, http);
        using var client = new HearsayClient(new Uri(server.Ready.Url), server.Ready.Token, http);
        var memory = new ResidentMemory(server);

        report.Section("5. probe: the adversarial load cases against the child process");
        report.Row("server RSS idle", Mib(memory.Now()), "before any request");
        await OneOfEachAsync(client, clip);
        report.Row("server RSS after one request of each kind", Mib(memory.Now()));

        await BurstAsync(report, memory, "20 concurrent transcriptions", 20, _ => TranscribeAsync(client, clip));
        await BurstAsync(report, memory, "40 concurrent speeches", 40, _ => SpeakAsync(client, TwoSentences, 1f));
        await SlowClientsAsync(report, memory, server, client, clip);
        await LongSentenceAsync(report, memory, client);
        await LongPromptAsync(report, memory, client, clip);
        await LongAudioAsync(report, memory, client);
    }

    /// <summary>Starts <paramref name="count"/> requests at once and reports their statuses, answer times and the peak RSS.</summary>
    private static async Task BurstAsync(ServeReport report, ResidentMemory memory, string name, int count, Func<int, Task<string>> request)
    {
        Console.Error.WriteLine($"probe: {name}");
        var outcomes = await memory.WhileAsync(() => Task.WhenAll(Enumerable.Range(0, count).Select(i => TimedAsync(() => request(i)))));
        ReportOutcomes(report, memory, name, outcomes.Result, outcomes.PeakMiB, unexpected: s => s is not ("200" or "429"));
    }

    /// <summary>
    /// 100 clients that send their headers a byte a second, 100 that send a body a byte a second, and 100 speeches that
    /// are never read, for 40 s, while one ordinary transcription at a time is timed.
    /// </summary>
    private static async Task SlowClientsAsync(ServeReport report, ResidentMemory memory, ServeProcess server, HearsayClient client, byte[] clip)
    {
        const int PerKind = 100;
        var duration = TimeSpan.FromSeconds(40);
        Console.Error.WriteLine($"probe: slow clients, {3 * PerKind} for {duration.TotalSeconds:0} s");
        var uri = new Uri(server.Ready.Url);
        using var stop = new CancellationTokenSource(duration);
        var outcome = await memory.WhileAsync(async () =>
        {
            var headers = Enumerable.Range(0, PerKind).Select(_ => TrickleAsync(uri, server.Ready.Token, bodyOnly: false, stop.Token)).ToList();
            var bodies = Enumerable.Range(0, PerKind).Select(_ => TrickleAsync(uri, server.Ready.Token, bodyOnly: true, stop.Token)).ToList();
            var unread = Enumerable.Range(0, PerKind).Select(_ => NeverReadAsync(client, stop.Token)).ToList();
            var ordinary = new List<(string Status, double Ms)>();
            while (!stop.IsCancellationRequested)
            {
                ordinary.Add(await TimedAsync(() => TranscribeAsync(client, clip)));
            }

            return (Headers: await Task.WhenAll(headers), Bodies: await Task.WhenAll(bodies), Unread: await Task.WhenAll(unread), Ordinary: ordinary);
        });

        var (slowHeaders, slowBodies, unreadSpeech, ordinaryRequests) = outcome.Result;
        report.Row("slow headers (1 byte/s): how they ended", "", Counts(slowHeaders));
        report.Row("slow bodies (1 byte/s): how they ended", "", Counts(slowBodies));
        report.Row("speeches never read: how they ended", "", Counts(unreadSpeech));
        ReportOutcomes(report, memory, "transcriptions meanwhile", [.. ordinaryRequests], outcome.PeakMiB, unexpected: s => s != "200");
    }

    /// <summary>Issue 13, defect 1: 4,096 characters without a full stop at speeds 1 and 0.25, two at once, against a 300-character sentence.</summary>
    private static async Task LongSentenceAsync(ServeReport report, ResidentMemory memory, HearsayClient client)
    {
        Console.Error.WriteLine("probe: long sentences");
        var sentence = Words(300);
        var reference = await memory.WhileAsync(() => TimedAsync(() => SpeakAsync(client, sentence, 1f)));
        report.Row("one 300-character sentence, speed 1", reference.Result.Status, $"{ServeReport.Ms(reference.Result.Ms)}, peak RSS {Mib(reference.PeakMiB)}");
        var text = Words(4096);
        foreach (var speed in new[] { 1f, 0.25f })
        {
            var pair = await memory.WhileAsync(() => Task.WhenAll(TimedAsync(() => SpeakAsync(client, text, speed)), TimedAsync(() => SpeakAsync(client, text, speed))));
            var limit = reference.PeakMiB + 50;
            report.Row(
                string.Create(CultureInfo.InvariantCulture, $"two 4,096-character sentences at once, speed {speed}"),
                Mib(pair.PeakMiB),
                string.Join(", ", pair.Result.Select(r => $"{r.Status} in {ServeReport.Ms(r.Ms)}")),
                string.Create(CultureInfo.InvariantCulture, $"peak ≤ {limit:0} MiB (300 characters + 50)"),
                pair.PeakMiB <= limit && pair.Result.All(r => r.Status == "200"));
        }

        report.Row("server RSS after the long sentences", Mib(memory.Now()));
    }

    /// <summary>Issue 13, defect 2: a 200 KB prompt of one unbroken word, then an ordinary transcription.</summary>
    private static async Task LongPromptAsync(ServeReport report, ResidentMemory memory, HearsayClient client, byte[] clip)
    {
        Console.Error.WriteLine("probe: long prompt");
        var prompt = new string('a', 200_000);
        var answer = await memory.WhileAsync(() => TimedAsync(() => TranscribeAsync(client, clip, prompt)));
        report.Row("transcription with a 200 KB one-word prompt", answer.Result.Status, $"{ServeReport.Ms(answer.Result.Ms)}, peak RSS {Mib(answer.PeakMiB)}");
        var after = await TimedAsync(() => TranscribeAsync(client, clip));
        report.Row("the next ordinary transcription", after.Status, ServeReport.Ms(after.Ms));
    }

    /// <summary>Issue 13, defect 3: 7 hours of 1 kHz 8-bit mono WAV (24 MiB) must be refused before any inference.</summary>
    private static async Task LongAudioAsync(ServeReport report, ResidentMemory memory, HearsayClient client)
    {
        Console.Error.WriteLine("probe: long audio");
        var wav = SilentWav(sampleRate: 1000, seconds: 7 * 3600);
        var answer = await memory.WhileAsync(() => TimedAsync(() => TranscribeAsync(client, wav)));
        report.Row(
            string.Create(CultureInfo.InvariantCulture, $"7 h of 1 kHz 8-bit WAV ({wav.Length / 1048576.0:0.0} MiB)"),
            answer.Result.Status,
            $"{ServeReport.Ms(answer.Result.Ms)}, peak RSS {Mib(answer.PeakMiB)}");
    }

    private static async Task OneOfEachAsync(HearsayClient client, byte[] clip)
    {
        foreach (var status in new[] { await TranscribeAsync(client, clip), await SpeakAsync(client, TwoSentences, 1f) })
        {
            if (status != "200")
            {
                throw new InvalidOperationException($"The warm-up request answered {status}.");
            }
        }
    }

    private static void ReportOutcomes(
        ServeReport report, ResidentMemory memory, string name, (string Status, double Ms)[] outcomes, double peakMiB, Func<string, bool> unexpected)
    {
        var answered = outcomes.Where(o => o.Status == "200").Select(o => o.Ms).ToList();
        var failures = outcomes.Count(o => unexpected(o.Status));
        report.Row($"{name}: statuses", "", Counts(outcomes.Select(o => o.Status)));
        if (answered.Count > 0)
        {
            report.Row($"{name}: 200 answered in (p50)", ServeReport.Ms(ServeReport.Median(answered)), ServeReport.Spread(answered));
        }

        report.Row($"{name}: failures", failures.ToString(CultureInfo.InvariantCulture), "anything but 200 or 429", "0", failures == 0);
        report.Row($"{name}: peak RSS → after", $"{Mib(peakMiB)} → {Mib(memory.Now())}");
    }

    private static async Task<(string Status, double Ms)> TimedAsync(Func<Task<string>> request)
    {
        var started = Stopwatch.GetTimestamp();
        var status = await request();
        return (status, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static async Task<string> TranscribeAsync(HearsayClient client, byte[] audio, string? prompt = null)
    {
        using var timeout = new CancellationTokenSource(RequestTimeout);
        return await StatusOfAsync(async () =>
        {
            var body = await client.TranscribeToAsync(new MemoryStream(audio), "probe.wav", "json", new TranscriptionOptions { Prompt = prompt }, timeout.Token);
            return body.Contains("\"text\"", StringComparison.Ordinal);
        }, timeout);
    }

    private static async Task<string> SpeakAsync(HearsayClient client, string text, float speed)
    {
        using var timeout = new CancellationTokenSource(RequestTimeout);
        return await StatusOfAsync(async () =>
        {
            await using var body = await client.SpeakAsync(new SpeechRequest("tts-1", text, "alloy", ResponseFormat: "pcm", Speed: speed), timeout.Token);
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, timeout.Token)) > 0)
            {
                total += read;
            }

            return total > 0;
        }, timeout);
    }

    /// <summary>A speech whose answer is never read: the response headers arrive, then the client holds the stream open.</summary>
    private static async Task<string> NeverReadAsync(HearsayClient client, CancellationToken stop)
    {
        using var timeout = new CancellationTokenSource(RequestTimeout);
        return await StatusOfAsync(async () =>
        {
            await using var body = await client.SpeakAsync(new SpeechRequest("tts-1", Words(2000), "alloy", ResponseFormat: "pcm"), timeout.Token);
            await Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default);
            return true;
        }, timeout);
    }

    /// <summary>The answer's status as text: the HTTP status, or what broke.</summary>
    private static async Task<string> StatusOfAsync(Func<Task<bool>> request, CancellationTokenSource timeout)
    {
        try
        {
            return await request() ? "200" : "200, bad body";
        }
        catch (HearsayApiException e)
        {
            return ((int)e.StatusCode).ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            return timeout.IsCancellationRequested ? "timeout" : e.GetType().Name;
        }
    }

    /// <summary>
    /// A raw connection that trickles one byte a second: of its request headers, or (headers sent at once) of a 1 MB
    /// upload. Returns how it ended: the server's status line, "closed" when the server hung up, or "open" at the end.
    /// </summary>
    private static async Task<string> TrickleAsync(Uri server, string token, bool bodyOnly, CancellationToken stop)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, stop);
        var stream = tcp.GetStream();
        var headers = Encoding.ASCII.GetBytes(
            $"POST /v1/audio/transcriptions HTTP/1.1\r\nHost: {server.Authority}\r\nAuthorization: Bearer {token}\r\n" +
            "Content-Type: multipart/form-data; boundary=probe\r\nContent-Length: 1000000\r\n\r\n--probe\r\n");
        var reading = ReadStatusLineAsync(stream);
        try
        {
            if (bodyOnly)
            {
                await stream.WriteAsync(headers, stop);
            }

            for (var i = 0; !stop.IsCancellationRequested && !reading.IsCompleted; i++)
            {
                await stream.WriteAsync(bodyOnly ? "x"u8.ToArray() : headers.AsMemory(i % headers.Length, 1), stop);
                await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(1), stop));
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // The server hung up, or the phase is over; the read below says which.
        }

        return reading.IsCompleted ? await reading : "open";
    }

    private static async Task<string> ReadStatusLineAsync(NetworkStream stream)
    {
        try
        {
            var buffer = new byte[256];
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                return "closed";
            }

            var line = Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
            return line.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) ? line["HTTP/1.1 ".Length..].Split(' ')[0] : line;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return "closed";
        }
    }

    /// <summary>Text of <paramref name="characters"/> characters: words without any punctuation, so one sentence.</summary>
    /// <summary>A sentence of common words without a full stop, <paramref name="characters"/> long.</summary>
    internal static string Words(int characters)
    {
        string[] words = ["the", "river", "carried", "small", "boats", "past", "quiet", "houses", "and", "green", "fields"];
        var text = new StringBuilder();
        for (var i = 0; text.Length < characters; i++)
        {
            text.Append(words[i % words.Length]).Append(' ');
        }

        return text.ToString(0, characters - 1) + "s";
    }

    /// <summary>A mono 8-bit PCM WAV of silence.</summary>
    private static byte[] SilentWav(int sampleRate, int seconds)
    {
        var samples = sampleRate * seconds;
        var wav = new byte[44 + samples];
        var header = new BinaryWriter(new MemoryStream(wav));
        header.Write("RIFF"u8);
        header.Write(36 + samples);
        header.Write("WAVEfmt "u8);
        header.Write(16);
        header.Write((short)1);
        header.Write((short)1);
        header.Write(sampleRate);
        header.Write(sampleRate);
        header.Write((short)1);
        header.Write((short)8);
        header.Write("data"u8);
        header.Write(samples);
        Array.Fill(wav, (byte)128, 44, samples);
        return wav;
    }

    private static string Counts(IEnumerable<string> statuses) =>
        string.Join(", ", statuses.GroupBy(s => s).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}"));

    private static string Mib(double mib) => string.Create(CultureInfo.InvariantCulture, $"{mib:0} MiB");

    /// <summary>The server's resident memory: now, and its peak while some work runs (sampled every 50 ms).</summary>
    private sealed class ResidentMemory(ServeProcess server)
    {
        public double Now() => server.ResidentMiB();

        public async Task<(T Result, double PeakMiB)> WhileAsync<T>(Func<Task<T>> work)
        {
            var peak = Now();
            using var stop = new CancellationTokenSource();
            var sampling = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
                try
                {
                    while (await timer.WaitForNextTickAsync(stop.Token))
                    {
                        peak = Math.Max(peak, Now());
                    }
                }
                catch (OperationCanceledException)
                {
                    // The work is done.
                }
            });
            var result = await work();
            await stop.CancelAsync();
            await sampling;
            return (result, Math.Max(peak, Now()));
        }
    }
}
