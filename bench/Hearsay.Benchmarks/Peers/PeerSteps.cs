using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearsay.Client;
using Hearsay.Contracts.Audio;

namespace Hearsay.Benchmarks.Peers;

/// <summary>
/// Each side of each figure as one child process: it runs, logs its wall time, peak RSS and the load around it, and
/// adds what it measured to <see cref="Figures"/>.
/// </summary>
internal sealed partial class PeerSteps(PeerPaths paths, Figures figures, int threads)
{
    // Two: the first timed run after one warm-up was still 2.5-3x the rest in every round.
    private const int OrtWarmUps = 2;
    private const int OrtRuns = 3;
    private const int ServeRequests = 20;

    private string ThreadCount => threads.ToString(CultureInfo.InvariantCulture);

    /// <summary>Every 1-minute load read so far, before and after each process.</summary>
    public List<double> Loads { get; } = [];

    /// <summary>Hearsay's transcribe benchmark on the 107 s clip: per window one encoder run and 220 decoder steps.</summary>
    public async Task HearsayWindowsAsync()
    {
        var run = await RunAsync("Hearsay transcribe benchmark, 107 s", "dotnet",
            [paths.BenchDll, "transcribe", "--model", paths.WhisperModel, "--audio", paths.LongClip, "--threads", ThreadCount]);
        var summary = HearsaySummary().Match(run.Output);
        var windows = int.Parse(HearsayWindows().Match(run.Output).Groups[1].Value, CultureInfo.InvariantCulture);
        var (windowMs, stepMs, probabilitiesMs, totalMs) =
            (Number(summary, 1), Number(summary, 2), Number(summary, 3), Number(summary, 4));
        figures.EncoderWhisperCpp.HearsayValues.Add(windowMs);
        figures.EncoderOrt.HearsayValues.Add(windowMs);
        figures.Step.HearsayValues.Add(stepMs);
        figures.StepWithProbabilities.HearsayValues.Add(stepMs + probabilitiesMs);
        figures.FixedWorkload.HearsayValues.Add(totalMs / 1000);
        Detail($"{windows} windows x 220 steps; encoder {windowMs:0} ms/window, step {stepMs:0.00} + log-probabilities {probabilitiesMs:0.00} ms/token, total {totalMs:0} ms");
    }

    /// <summary>whisper.cpp's CLI on the 107 s clip, greedy, no timestamps, no fallback: 220 tokens per window.</summary>
    public async Task WhisperCppAsync()
    {
        var run = await RunAsync("whisper.cpp whisper-cli, 107 s", paths.WhisperCli,
            ["-m", paths.Ggml, "-f", paths.LongClip, "-t", ThreadCount, "-bs", "1", "-bo", "1", "-nt", "-nf"]);
        var timings = WhisperCppTimings().Matches(run.Errors).ToDictionary(
            m => m.Groups[1].Value,
            m => (Ms: Number(m, 2), Runs: m.Groups[3].Success ? int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : 1));
        var encode = timings["encode"];
        var decode = timings["decode"];
        var sample = timings["sample"];
        figures.EncoderWhisperCpp.PeerValues.Add(encode.Ms / encode.Runs);
        figures.Step.PeerValues.Add(decode.Ms / decode.Runs);
        figures.StepWithProbabilities.PeerValues.Add((decode.Ms + sample.Ms) / decode.Runs);
        figures.FixedWorkload.PeerValues.Add((timings["total"].Ms - timings["load"].Ms) / 1000);
        figures.PeakRss.PeerValues.Add(run.PeakRssMiB);
        Detail($"{encode.Runs} windows, {decode.Runs} single-token decodes (+{timings["batchd"].Runs} batched); encoder {encode.Ms / encode.Runs:0} ms/window, decode {decode.Ms / decode.Runs:0.00} + sampling {sample.Ms / decode.Runs:0.00} ms/token, total {timings["total"].Ms:0} ms of which load {timings["load"].Ms:0} ms");
    }

    /// <summary>The encoder file Hearsay runs, run by ONNX Runtime alone.</summary>
    public async Task RawOrtEncoderAsync()
    {
        var run = await RunAsync("raw ONNX Runtime encoder", "dotnet",
            [paths.BenchDll, "peers-ort", paths.Encoder, ThreadCount, "80", $"{OrtWarmUps}", $"{OrtRuns}"]);
        var values = Lines(run.Output).Select(line => double.Parse(line, CultureInfo.InvariantCulture)).ToList();
        figures.EncoderOrt.PeerValues.AddRange(values);
        Detail($"{string.Join(", ", values.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))} ms per window after {OrtWarmUps} warm-up");
    }

    /// <summary>
    /// The CLI transcribing the 107 s clip with its defaults, for its peak RSS. Without fallback here and for jfk.wav:
    /// random weights would make it re-decode windows at higher temperatures, which real ones would not.
    /// </summary>
    public async Task HearsayLongTranscribeAsync()
    {
        var run = await RunAsync("Hearsay CLI transcribe, 107 s", "dotnet",
            [paths.CliDll, "transcribe", paths.LongClip, "--model", paths.WhisperModel, "--threads", ThreadCount, "--no-fallback"]);
        figures.PeakRss.HearsayValues.Add(run.PeakRssMiB);
    }

    public async Task HearsayJfkAsync()
    {
        var run = await RunAsync("Hearsay CLI transcribe, jfk.wav", "dotnet",
            [paths.CliDll, "transcribe", paths.ShortClip, "--model", paths.WhisperModel, "--threads", ThreadCount, "--no-fallback", "--format", "verbose_json"]);
        using var json = JsonDocument.Parse(run.Output);
        var tokens = json.RootElement.GetProperty("segments").EnumerateArray().Sum(s => s.GetProperty("tokens").GetArrayLength());
        figures.WholeJfk.HearsayValues.Add(run.WallMs / 1000);
        Detail($"{tokens} tokens in its segments");
    }

    public async Task SherpaJfkAsync()
    {
        var run = await RunAsync("sherpa-onnx node script, jfk.wav", "node",
            [Path.Combine(paths.PeersDirectory, "sherpa-stt.js"), paths.Encoder, paths.Decoder, paths.Tokens, paths.ShortClip, ThreadCount]);
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        SherpaJfkTokens = root.GetProperty("tokens").GetInt32();
        figures.WholeJfk.PeerValues.Add(run.WallMs / 1000);
        figures.WholeJfkSameTokens.PeerValues.Add(run.WallMs / 1000);
        Detail($"{SherpaJfkTokens} tokens; load {root.GetProperty("loadMs").GetDouble():0} ms, decode {root.GetProperty("decodeMs").GetDouble():0} ms");
    }

    /// <summary>The tokens sherpa-onnx decoded on jfk.wav, once it has run: the same for every run of the same files.</summary>
    public int? SherpaJfkTokens { get; private set; }

    /// <summary>
    /// Hearsay on jfk.wav in a process of its own, as <see cref="HearsayJfkAsync"/>, sampling at most as many tokens per
    /// window as sherpa-onnx decoded (<see cref="HearsayCappedTranscribe"/>): the same decoding work, after the same
    /// start-up, load, features and encoder.
    /// </summary>
    public async Task HearsayJfkSameTokensAsync()
    {
        var cap = SherpaJfkTokens ?? throw new InvalidOperationException("sherpa-onnx's jfk.wav run gives the token count; run it first.");
        var run = await RunAsync("Hearsay, jfk.wav, tokens capped at sherpa-onnx's", "dotnet",
            [paths.BenchDll, "peers-transcribe", paths.WhisperModel, paths.ShortClip, $"{cap}", "--threads", ThreadCount]);
        figures.WholeJfkSameTokens.HearsayValues.Add(run.WallMs / 1000);
        Detail($"at most {cap} tokens a window; {Lines(run.Output)[0]} tokens in its segments");
    }

    public async Task HearsaySpeakAsync(string text, int warmUps, int iterations)
    {
        var run = await RunAsync("Hearsay speak", "dotnet",
            [paths.BenchDll, "peers-speak", paths.Voice, $"{warmUps}", $"{iterations}", text, "--threads", ThreadCount]);
        var times = Lines(run.Output).Select(line => line.Split(' ')).ToList();
        figures.SpeakTotal.HearsayValues.AddRange(times.Select(t => double.Parse(t[0], CultureInfo.InvariantCulture)));
        figures.SpeakFirst.HearsayValues.AddRange(times.Select(t => double.Parse(t[1], CultureInfo.InvariantCulture)));
        Detail($"total / first audio (ms): {string.Join(", ", times.Select(t => $"{t[0]} / {t[1]}"))}");
    }

    public async Task SherpaSpeakAsync(string text, int warmUps, int iterations)
    {
        using var config = JsonDocument.Parse(await File.ReadAllTextAsync(paths.Voice + ".json"));
        var inference = config.RootElement.GetProperty("inference");
        string Scale(string name) => inference.GetProperty(name).GetDouble().ToString(CultureInfo.InvariantCulture);
        var run = await RunAsync("sherpa-onnx node script, speak", "node",
            [Path.Combine(paths.PeersDirectory, "sherpa-tts.js"), paths.SherpaVoice, paths.EspeakNgData!, ThreadCount, $"{warmUps}", $"{iterations}",
             Scale("noise_scale"), Scale("noise_w"), Scale("length_scale"), text]);
        var times = Lines(run.Output).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        figures.SpeakTotal.PeerValues.AddRange(times.Select(t => t.GetProperty("totalMs").GetDouble()));
        figures.SpeakFirst.PeerValues.AddRange(times.Select(t => t.GetProperty("firstMs").GetDouble()));
        Detail($"total / first audio (ms): {string.Join(", ", times.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.GetProperty("totalMs").GetDouble():0.0} / {t.GetProperty("firstMs").GetDouble():0.0}")))}");
    }

    /// <summary>The sidecar with both models: resident memory once loaded, and after 20 requests alternating transcription and speech.</summary>
    public async Task ServeAsync(string text)
    {
        var modelsDirectory = Directory.CreateTempSubdirectory("hearsay-peers-models-").FullName;
        try
        {
            var settings = new ServeSettings(paths.WhisperModel, paths.Voice, paths.ShortClip, paths.ShortClip, paths.CliDll, "", modelsDirectory,
                Spawns: 1, Iterations: 1, SoakSeconds: 0, Clients: 1);
            using var http = new HttpClient();
            var loadBefore = MeasuredProcess.Load();
            await using var server = await ServeProcess.StartLoadedAsync(settings, http);
            using var client = new HearsayClient(new Uri(server.Ready.Url), server.Ready.Token, http);
            var idle = server.ResidentMiB();
            var clip = await File.ReadAllBytesAsync(paths.ShortClip);
            for (var i = 0; i < ServeRequests; i++)
            {
                if (i % 2 == 0)
                {
                    await client.TranscribeToAsync(new MemoryStream(clip), "jfk.wav", "json", new TranscriptionOptions());
                }
                else
                {
                    await using var speech = await client.SpeakAsync(new SpeechRequest("tts-1", text, "alloy", ResponseFormat: "pcm"));
                    await speech.CopyToAsync(Stream.Null);
                }
            }

            var after = server.ResidentMiB();
            var loadAfter = MeasuredProcess.Load();
            figures.ServeIdle.HearsayValues.Add(idle);
            figures.ServeAfter.HearsayValues.Add(after);
            Loads.AddRange([loadBefore, loadAfter]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  Hearsay serve: idle {idle:0} MiB, after {ServeRequests} requests {after:0} MiB (peak {server.PeakResidentMiB():0} MiB), load {loadBefore:0.00} → {loadAfter:0.00}"));
        }
        finally
        {
            Directory.Delete(modelsDirectory, recursive: true);
        }
    }

    private async Task<MeasuredProcess> RunAsync(string label, string program, string[] arguments)
    {
        var run = await MeasuredProcess.RunAsync(program, arguments);
        Loads.AddRange([run.LoadBefore, run.LoadAfter]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {label}: wall {run.WallMs / 1000:0.00} s, peak RSS {run.PeakRssMiB:0} MiB, load {run.LoadBefore:0.00} → {run.LoadAfter:0.00}"));
        return run;
    }

    private static void Detail(FormattableString text) => Console.WriteLine("    " + text.ToString(CultureInfo.InvariantCulture));

    private static string[] Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static double Number(Match match, int group) => double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    // TranscribeBenchmark's summary line: "encoder N ms/window, decoder N ms/token (...), exact log-probabilities N ms/token, front end ... of N ms".
    [GeneratedRegex(@"encoder (\d+) ms/window, decoder ([\d.]+) ms/token .*exact log-probabilities ([\d.]+) ms/token, .* of (\d+) ms")]
    private static partial Regex HearsaySummary();

    [GeneratedRegex(@"(\d+) window\(s\)")]
    private static partial Regex HearsayWindows();

    // whisper_print_timings: "encode time =  2466.08 ms /     1 runs (...)"; "total time = 32106.16 ms".
    [GeneratedRegex(@"whisper_print_timings:\s+(\w+) time =\s+([\d.]+) ms(?: /\s+(\d+) runs)?")]
    private static partial Regex WhisperCppTimings();
}
