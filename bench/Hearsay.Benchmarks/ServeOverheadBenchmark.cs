using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hearsay.Client;
using Hearsay.Contracts;
using Hearsay.Contracts.Audio;
using Hearsay.Core.Audio;
using Hearsay.Core.Audio.Input;
using Hearsay.Core.Stt;
using Hearsay.Core.Stt.Whisper;
using Hearsay.Core.Tts;
using Hearsay.Core.Tts.Piper;
using Hearsay.Server;
using Hearsay.Server.Sidecar;

namespace Hearsay.Benchmarks;

/// <summary>
/// What HTTP adds: a 10 s transcription and a two-sentence speech through the server (in this process, on Kestrel at
/// 127.0.0.1:0, through <see cref="HearsayClient"/>) against the same engine calls made directly, with the same model
/// files and the options the endpoint builds; the paths take turns, in alternating order, so that drift hits both
/// alike. Then the time to the first audio byte of a streamed five-sentence speech against the whole response.
/// </summary>
/// <remarks>
/// The endpoint cannot turn temperature fallback off or seed it, and the benchmark model's random weights fail every
/// window, so both paths sample at 0.2 … 1.0 with random seeds: they do the same kind of work, not the same work, and
/// the STT comparison is between medians. The upload alone (read in full, then refused with 400 on purpose) is timed
/// too: that is HTTP's own cost without the engine's noise.
/// </remarks>
internal static class ServeOverheadBenchmark
{
    private const string TwoSentences = "The quick brown fox jumps over the lazy dog. Hearsay speaks each sentence as soon as it is ready.";

    private const string FiveSentences =
        "The quick brown fox jumps over the lazy dog. " +
        "Hearsay speaks each sentence as soon as it is ready, so playback can start early. " +
        "Is the first chunk out before the second sentence starts? " +
        "It should be, by design! " +
        "Five sentences, with numbers like 42 and 3.14, make a fair test.";

    private const double GoalPercent = 5;

    /// <summary>The in-process server's <see cref="HearsayServerOptions.SamplingSeed"/>, and the direct calls' seed.</summary>
    private const int SamplingSeed = 1;

    public static async Task RunAsync(ServeSettings settings, ServeReport report)
    {
        var clip = await File.ReadAllBytesAsync(settings.LongClip);
        using var whisper = await WhisperSpeechToText.LoadAsync(settings.SttModel, new WhisperSessionOptions());
        using var piper = await PiperTextToSpeech.LoadAsync(settings.Voice);
        await using var server = await StartServerAsync(settings);
        using var client = HearsayClient.FromReadyLine(server.ReadyLine);

        Console.Error.WriteLine("overhead: transcription");
        var stt = await CompareTranscriptionAsync(settings, client, whisper, clip);
        var uploadOnly = await TimeUploadAloneAsync(settings, client, clip);
        Console.Error.WriteLine("overhead: speech");
        var (httpTts, directTts, sameBytes) = await CompareSpeechAsync(settings, client, piper);
        Console.Error.WriteLine("first byte");
        var (firstByte, whole) = await TimeFirstByteAsync(settings, client);

        var clipName = Path.GetFileName(settings.LongClip);
        report.Section($"2. HTTP overhead (in-process server on 127.0.0.1:0 via HearsayClient vs the engine called directly; alternating runs)");
        // Both paths sample the temperature fallback from the same seed, so they do the same work and their times compare.
        Compare(report, string.Create(CultureInfo.InvariantCulture, $"transcription, {clipName} ({stt.AudioSeconds:0.00} s)"), stt.Http, stt.Direct);
        report.Row("  segments per run (work done)", string.Create(CultureInfo.InvariantCulture,
            $"{ServeReport.Median(stt.HttpSegments):0} / {ServeReport.Median(stt.DirectSegments):0}"),
            $"median HTTP / direct, both sampling from seed {SamplingSeed}");
        var directMedian = ServeReport.Median(stt.Direct);
        report.Row("  upload alone: form read in full, then 400", ServeReport.Ms(ServeReport.Median(uploadOnly)),
            string.Create(CultureInfo.InvariantCulture, $"{ServeReport.Spread(uploadOnly)}; {100 * ServeReport.Median(uploadOnly) / directMedian:0.00} % of direct"),
            "≤ 5 %", 100 * ServeReport.Median(uploadOnly) / directMedian <= GoalPercent);
        Compare(report, "speech, 2 sentences, wav", httpTts, directTts);
        report.Row("  same WAV length both ways", sameBytes ? "yes" : "NO",
            $"voice {settings.Voice}");

        report.Section($"3. streamed speech, 5 sentences, pcm over HTTP ({firstByte.Count} runs)");
        report.Row("first audio byte", ServeReport.Ms(ServeReport.Median(firstByte)), ServeReport.Spread(firstByte));
        report.Row("whole response", ServeReport.Ms(ServeReport.Median(whole)), ServeReport.Spread(whole));
        report.Row("first byte / whole", string.Create(CultureInfo.InvariantCulture, $"{100 * ServeReport.Median(firstByte) / ServeReport.Median(whole):0} %"));
    }

    private static void Compare(ServeReport report, string name, List<double> http, List<double> direct)
    {
        var httpMedian = ServeReport.Median(http);
        var directMedian = ServeReport.Median(direct);
        var added = 100 * (httpMedian - directMedian) / directMedian;
        report.Row(name + ": direct", ServeReport.Ms(directMedian), ServeReport.Spread(direct));
        report.Row(name + ": HTTP", ServeReport.Ms(httpMedian), ServeReport.Spread(http));
        var addedText = string.Create(CultureInfo.InvariantCulture, $"{added:+0.0;-0.0} %");
        var detail = string.Create(CultureInfo.InvariantCulture, $"{httpMedian - directMedian:+0.0;-0.0} ms, ratio of medians {httpMedian / directMedian:0.000}");
        report.Row(name + ": HTTP adds", addedText, detail, "≤ 5 %", added <= GoalPercent);
    }

    private static async Task<SttComparison> CompareTranscriptionAsync(
        ServeSettings settings, HearsayClient client, WhisperSpeechToText whisper, byte[] clip)
    {
        // What TranscriptionForm builds from a form with only file, model and response_format, with the server's seed:
        // the random weights send every window into temperature fallback, and one seed makes both paths sample alike.
        var options = new TranscribeOptions { Temperature = 0, Seed = SamplingSeed };
        var result = new SttComparison();
        for (var i = 0; i <= settings.Iterations; i++)
        {
            var (viaHttp, viaEngine) = await BothAsync(
                i,
                () => client.TranscribeAsync(new MemoryStream(clip), "clip.wav"),
                async () =>
                {
                    await using var audio = await AudioDecoder.OpenAsync(new MemoryStream(clip), new AudioInputOptions());
                    return await whisper.TranscribeAsync(audio, options);
                });
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {i}: HTTP {viaHttp.Ms:0} ms ({viaHttp.Result.Segments?.Count} segments), direct {viaEngine.Ms:0} ms ({viaEngine.Result.Segments.Count} segments)"));
            result.AudioSeconds = viaEngine.Result.Duration;
            if (i > 0)
            {
                result.Http.Add(viaHttp.Ms);
                result.Direct.Add(viaEngine.Ms);
                result.HttpSegments.Add(viaHttp.Result.Segments?.Count ?? 0);
                result.DirectSegments.Add(viaEngine.Result.Segments.Count);
            }
        }

        return result;
    }

    /// <summary>The clip uploaded with a language Whisper does not know: the whole form is read, then answered 400.</summary>
    private static async Task<List<double>> TimeUploadAloneAsync(ServeSettings settings, HearsayClient client, byte[] clip)
    {
        var times = new List<double>();
        for (var i = 0; i <= settings.ShortRuns; i++)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await client.TranscribeAsync(new MemoryStream(clip), "clip.wav", new TranscriptionOptions { Language = "zz" });
                throw new InvalidOperationException("The server accepted language zz.");
            }
            catch (HearsayApiException e) when ((int)e.StatusCode == 400)
            {
                if (i > 0)
                {
                    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        }

        return times;
    }

    private static async Task<(List<double> Http, List<double> Direct, bool SameBytes)> CompareSpeechAsync(
        ServeSettings settings, HearsayClient client, PiperTextToSpeech piper)
    {
        var request = new SpeechRequest("tts-1", TwoSentences, "alloy", ResponseFormat: "wav");
        List<double> http = [], direct = [];
        var sameBytes = true;
        for (var i = 0; i <= settings.ShortRuns; i++)
        {
            var (viaHttp, viaEngine) = await BothAsync(
                i,
                async () =>
                {
                    await using var body = await client.SpeakAsync(request);
                    using var received = new MemoryStream();
                    await body.CopyToAsync(received);
                    return received.Length;
                },
                () => SpeakDirectlyAsync(piper, TwoSentences));
            sameBytes &= viaHttp.Result == viaEngine.Result;
            if (i > 0)
            {
                http.Add(viaHttp.Ms);
                direct.Add(viaEngine.Ms);
            }
        }

        return (http, direct, sameBytes);
    }

    /// <summary>
    /// Times one run of each path, HTTP first in even iterations and direct first in odd ones, so that whatever one run
    /// leaves to the next (garbage to collect, warm caches) weighs on both paths alike.
    /// </summary>
    private static async Task<((THttp Result, double Ms) Http, (TDirect Result, double Ms) Direct)> BothAsync<THttp, TDirect>(
        int iteration, Func<Task<THttp>> http, Func<Task<TDirect>> direct)
    {
        if (iteration % 2 == 0)
        {
            var viaHttp = await TimeAsync(http);
            return (viaHttp, await TimeAsync(direct));
        }

        var viaEngine = await TimeAsync(direct);
        return (await TimeAsync(http), viaEngine);
    }

    private static async Task<(T Result, double Ms)> TimeAsync<T>(Func<Task<T>> run)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await run();
        return (result, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>What the endpoint does without HTTP: synthesize, write WAV, flush per sentence.</summary>
    private static async Task<long> SpeakDirectlyAsync(PiperTextToSpeech engine, string text)
    {
        using var output = new MemoryStream();
        var writer = AudioStreamWriter.Create(AudioFormat.Wav, output, engine.SampleRate);
        await using (writer)
        {
            await foreach (var chunk in engine.SynthesizeAsync(text, new SpeakOptions { Speed = 1 }))
            {
                await writer.WriteAsync(chunk.Samples);
                await writer.FlushAsync();
            }

            await writer.CompleteAsync();
        }

        return output.Length;
    }

    private static async Task<(List<double> FirstByte, List<double> Whole)> TimeFirstByteAsync(ServeSettings settings, HearsayClient client)
    {
        var request = new SpeechRequest("tts-1", FiveSentences, "alloy", ResponseFormat: "pcm");
        List<double> firstByte = [], whole = [];
        var buffer = new byte[64 * 1024];
        for (var i = 0; i <= settings.ShortRuns; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await using var body = await client.SpeakAsync(request);
            var read = await body.ReadAsync(buffer);
            var firstMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            while (read > 0)
            {
                read = await body.ReadAsync(buffer);
            }

            if (i > 0)
            {
                firstByte.Add(firstMs);
                whole.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        return (firstByte, whole);
    }

    private static async Task<InProcessServer> StartServerAsync(ServeSettings settings)
    {
        var options = new HearsayServerOptions
        {
            ModelsDirectory = settings.ModelsDirectory,
            SttModel = settings.SttModel,
            TtsVoice = settings.Voice,
            SamplingSeed = SamplingSeed,
        };
        var readyOutput = new StringWriter();
        var app = await HearsayServer.BuildAsync(options, new SidecarStreams(readyOutput, Input: null));
        await app.StartAsync();
        var server = new InProcessServer(app, readyOutput.ToString().Trim());
        using var client = HearsayClient.FromReadyLine(server.ReadyLine);
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 60);
        while (!await client.IsReadyAsync())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                var status = JsonSerializer.Serialize(await client.GetStatusAsync(), HearsayJsonContext.Default.HearsayStatus);
                await server.DisposeAsync();
                throw new InvalidOperationException($"The in-process server's models did not load within 60 s: {status}");
            }

            await Task.Delay(20);
        }

        return server;
    }

    private sealed class SttComparison
    {
        public double AudioSeconds { get; set; }

        public List<double> Http { get; } = [];

        public List<double> Direct { get; } = [];

        public List<double> HttpSegments { get; } = [];

        public List<double> DirectSegments { get; } = [];
    }

    private sealed class InProcessServer(Microsoft.AspNetCore.Builder.WebApplication app, string readyLine) : IAsyncDisposable
    {
        public string ReadyLine { get; } = readyLine;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
