using System.Diagnostics;
using System.Globalization;
using Hearsay.Core.Audio.Input;
using Hearsay.Core.Onnx;
using Hearsay.Core.Stt.Whisper;
using Hearsay.Core.Stt.Whisper.DecodingRules;
using Hearsay.Core.Stt.Whisper.Features;
using Hearsay.Core.Stt.Whisper.Model;
using Hearsay.Core.Stt.Whisper.TextDecoders;
using Hearsay.Testing;

namespace Hearsay.Benchmarks;

/// <summary>
/// Times Whisper's parts on real clips with a fixed workload, so runs are comparable whatever the (random) weights
/// say: per 30 s window one encoder run, then the start sequence and 220 single-token decoder steps with the KV cache
/// (end-of-text ignored), each refined as greedy decoding refines it. Also the audio front end (decode, resample, log-mel) and the process's peak RSS.
/// Generate real-size models first: <c>/usr/bin/python3 tools/testmodels/whisper_model.py --real-dims tiny.en</c>.
/// </summary>
internal static class TranscribeBenchmark
{
    /// <summary>Decoder steps per window, whatever the weights choose.</summary>
    internal const int TokensPerWindow = 220;

    // whisper.cpp (f16, greedy, 2 threads) measured on these machines with the same dimensions.
    private static readonly Dictionary<string, (double WindowMs, double TokenMs, double RssMiB)> Reference = new()
    {
        ["whisper-tiny.en"] = (740, 3.2, 150),
        ["whisper-base.en"] = (1630, 5.3, 240),
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var model = Option(args, "--model") ?? Path.Combine(TestPaths.RepoRoot, "bench", "models", "tiny.en");
        var precision = Enum.Parse<WhisperPrecision>(Option(args, "--precision") ?? "Auto", ignoreCase: true);
        var threads = int.Parse(Option(args, "--threads") ?? "2", CultureInfo.InvariantCulture);
        var spinning = args.Contains("--spin");
        var decoder = Enum.Parse<WhisperDecoderBackend>(Option(args, "--decoder") ?? "Auto", ignoreCase: true);
        string[] clips = Option(args, "--audio") is { } audio
            ? [audio]
            : [TestPaths.SharedFile("audio", "wav16k", "jfk.wav"), TestPaths.SharedFile("audio", "wav16k", "long_lj_LJ001-0001_to_0015.wav")];

        using var engine = await WhisperSpeechToText.LoadAsync(model, new WhisperSessionOptions { Precision = precision, Threads = new EngineThreads { Count = threads, AllowSpinning = spinning }, Decoder = decoder });
        var info = engine.Info;
        Console.WriteLine($"{info.ModelType} ({Path.GetFileName(engine.Files.EncoderPath)}, {Path.GetFileName(engine.Files.DecoderPath)}), {threads} threads, spinning {(spinning ? "on" : "off")}, decoder on {engine.Model.DecoderBackend}");

        using var state = new WhisperDecoderState(engine.Model);
        var spectrogram = new LogMelSpectrogram(info.MelCount);
        // Every clip once before timing, so that tiered compilation has settled on the front end's loops too.
        foreach (var clip in clips)
        {
            await MeasureClipAsync(clip, state, spectrogram, info, warmUp: true);
        }

        var totals = new Totals();
        foreach (var clip in clips)
        {
            totals.Add(await MeasureClipAsync(clip, state, spectrogram, info, warmUp: false));
        }

        Report(info.ModelType, totals);
        return 0;
    }

    /// <summary>Times the log-mel of one 30 s window alone (median of 20), to watch the front end's budget.</summary>
    public static async Task<int> RunLogMelAsync(string[] args)
    {
        var melCount = int.Parse(Option(args, "--mels") ?? "80", CultureInfo.InvariantCulture);
        var samples = await ReadClipAsync(TestPaths.SharedFile("audio", "wav16k", "long_lj_LJ001-0001_to_0015.wav"));

        var spectrogram = new LogMelSpectrogram(melCount);
        var features = new float[melCount * WhisperAudio.WindowFrames];
        var times = new List<double>();
        for (var i = 0; i < 25; i++)
        {
            var started = Stopwatch.GetTimestamp();
            spectrogram.ComputeWindow(samples, 0, 0, WhisperAudio.WindowFrames, features);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        times = times.Skip(5).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"log-mel, {melCount} bins, one 30 s window: median {times[times.Count / 2]:0.0} ms, min {times[0]:0.0} ms ({Environment.ProcessorCount} cores)"));
        return 0;
    }

    private static async Task<ClipTimes> MeasureClipAsync(
        string clip, WhisperDecoderState state, LogMelSpectrogram spectrogram, WhisperModelInfo info, bool warmUp)
    {
        var started = Stopwatch.GetTimestamp();
        var samples = await ReadClipAsync(clip);

        var decodeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var contentFrames = WhisperAudio.ContentFrames(samples.Length);
        var times = new ClipTimes { DecodeMs = decodeMs, AudioSeconds = samples.Length / (double)WhisperAudio.SampleRate };
        var initial = info.SotSequence.ToList();
        var logits = new float[info.VocabularySize];
        for (long seek = 0; seek < contentFrames; seek += WhisperAudio.WindowFrames)
        {
            started = Stopwatch.GetTimestamp();
            spectrogram.ComputeWindow(samples, 0, seek, (int)Math.Min(WhisperAudio.WindowFrames, contentFrames - seek), state.Mel);
            times.MelMs += Stopwatch.GetElapsedTime(started).TotalMilliseconds;

            started = Stopwatch.GetTimestamp();
            state.Encode(CancellationToken.None);
            times.EncoderMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);

            started = Stopwatch.GetTimestamp();
            var decoder = state.TextDecoder;
            var token = Greedy(decoder, decoder.Start(initial, info.SotIndex, [], CancellationToken.None), logits);
            for (var i = 0; i < TokensPerWindow; i++)
            {
                token = Greedy(decoder, decoder.Step(token, CancellationToken.None), logits);
            }

            times.DecoderMs += Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            times.Tokens += TokensPerWindow;

            started = Stopwatch.GetTimestamp();
            state.TextDecoder.TakeLogSumExps();
            times.NormalizerMs += Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (warmUp)
            {
                break;
            }
        }

        if (!warmUp)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(clip)}: {times.AudioSeconds:0.0} s, {times.EncoderMs.Count} window(s); decode+resample {times.DecodeMs:0.0} ms, " +
                $"log-mel {times.MelMs:0.0} ms, encoder {times.EncoderMs.Average():0} ms/window, decoder {times.DecoderMs / times.Tokens:0.00} ms/token"));
        }

        return times;
    }

    /// <summary>The argmax as greedy decoding takes it: estimates refined where they could change it, the step kept for its log-probability.</summary>
    internal static int Greedy(ITextDecoder decoder, ReadOnlySpan<float> returned, float[] logits)
    {
        returned.CopyTo(logits);
        LogitRefinement.ForChoice(decoder, logits);
        decoder.KeepStep(logits);
        return LogProbabilities.ArgMax(logits);
    }

    private static void Report(string modelType, Totals totals)
    {
        var windowMs = totals.EncoderMs.Average();
        var tokenMs = totals.DecoderMs / totals.Tokens;
        var total = totals.FrontEndMs + totals.EncoderMs.Sum() + totals.DecoderMs + totals.NormalizerMs;
        var peakRssMiB = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"encoder {windowMs:0} ms/window, decoder {tokenMs:0.00} ms/token ({TokensPerWindow} tokens/window), " +
            $"exact log-probabilities {totals.NormalizerMs / totals.Tokens:0.00} ms/token, " +
            $"front end {totals.FrontEndMs:0.0} ms = {100 * totals.FrontEndMs / total:0.00} % of {total:0} ms, peak RSS {peakRssMiB:0} MiB"));
        if (Reference.TryGetValue(modelType, out var reference))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"vs whisper.cpp: window {windowMs / reference.WindowMs:0.00}x, token {tokenMs / reference.TokenMs:0.00}x, " +
                $"RSS {peakRssMiB / reference.RssMiB:0.00}x (below 1 is faster/smaller)"));
        }
    }

    internal static async Task<float[]> ReadClipAsync(string path)
    {
        await using var reader = await AudioDecoder.OpenFileAsync(path, new AudioInputOptions());
        return await reader.ReadAllAsync(maxSamples: WhisperAudio.SampleRate * 3600L);
    }

    internal static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private sealed class ClipTimes
    {
        public double AudioSeconds { get; init; }

        public double DecodeMs { get; init; }

        public double MelMs { get; set; }

        public List<double> EncoderMs { get; } = [];

        public double DecoderMs { get; set; }

        public double NormalizerMs { get; set; }

        public int Tokens { get; set; }
    }

    private sealed class Totals
    {
        public List<double> EncoderMs { get; } = [];

        public double DecoderMs { get; private set; }

        public double NormalizerMs { get; private set; }

        public int Tokens { get; private set; }

        public double FrontEndMs { get; private set; }

        public void Add(ClipTimes clip)
        {
            EncoderMs.AddRange(clip.EncoderMs);
            DecoderMs += clip.DecoderMs;
            NormalizerMs += clip.NormalizerMs;
            Tokens += clip.Tokens;
            FrontEndMs += clip.DecodeMs + clip.MelMs;
        }
    }
}
