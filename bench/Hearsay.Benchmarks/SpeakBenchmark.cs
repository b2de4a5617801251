using System.Diagnostics;
using System.Globalization;
using Hearsay.Core.Audio;
using Hearsay.Core.Tts.Phonemization;
using Hearsay.Core.Tts.Piper;
using Hearsay.Testing;

namespace Hearsay.Benchmarks;

/// <summary>
/// Times `speak` on a five-sentence paragraph, as the CLI does it (synthesize, convert, write WAV), and splits the
/// time into ONNX Runtime's Run and the rest, and reports the phonemizer's time. With the tiny voice Run is negligible, so
/// total − Run is Hearsay's own overhead: the goal is at most 3 ms per sentence with the portable phonemizer (the
/// default here) and 15 ms with a process of the native program per text.
/// </summary>
internal static class SpeakBenchmark
{
    private const string Paragraph =
        "The quick brown fox jumps over the lazy dog. " +
        "Hearsay speaks each sentence as soon as it is ready, so playback can start early. " +
        "Is the first chunk out before the second sentence starts? " +
        "It should be, by design! " +
        "Five sentences, with numbers like 42 and 3.14, make a fair test.";


    private sealed record Run(double TotalMs, double FirstChunkMs, double RunMs, double PhonemizeMs, int Sentences, int RunsAtFirstChunk, long AllocatedBytes);

    public static async Task<int> RunAsync(string[] args)
    {
        var voice = BenchTable.Option(args, "--voice") ?? PiperExpectations.SingleSpeakerVoice;
        var iterations = int.Parse(BenchTable.Option(args, "--iterations") ?? "50", CultureInfo.InvariantCulture);
        var native = BenchTable.Option(args, "--phonemizer") == "native";
        var phonemizer = native ? new PhonemizerOptions { Kind = PhonemizerKind.Native } : PortableBundle.Options();
        var overheadBudgetMs = native ? 15 : 3;
        var threads = BenchTable.Threads(args);
        using var engine = await PiperTextToSpeech.LoadAsync(voice, new PiperTextToSpeechOptions { Threads = threads, Phonemizer = phonemizer });
        Console.WriteLine($"phonemizer: {engine.Phonemizer.EspeakNg.Kind} ({engine.Phonemizer.EspeakNg.ExecutablePath}); {threads.Count} threads, spinning {(threads.AllowSpinning ? "on" : "off")}");
        using var timings = new TimingListener();

        for (var i = 0; i < 5; i++)
        {
            await SpeakOnceAsync(engine, timings);
        }

        var runs = new List<Run>();
        for (var i = 0; i < iterations; i++)
        {
            runs.Add(await SpeakOnceAsync(engine, timings));
        }

        Report(voice, runs);
        var sentences = runs[0].Sentences;
        var overheadPerSentence = BenchTable.Median(runs.Select(r => r.TotalMs - r.RunMs)) / sentences;
        var firstChunkEarly = runs.All(r => r.RunsAtFirstChunk == 1);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"overhead per sentence (median): {overheadPerSentence:0.00} ms, budget {overheadBudgetMs} ms: {(overheadPerSentence <= overheadBudgetMs ? "PASS" : "FAIL")}"));
        Console.WriteLine($"first chunk written before the second sentence's Run ended, in every iteration: {(firstChunkEarly ? "PASS" : "FAIL")}");
        return overheadPerSentence <= overheadBudgetMs && firstChunkEarly ? 0 : 1;
    }

    private static async Task<Run> SpeakOnceAsync(PiperTextToSpeech engine, TimingListener timings)
    {
        timings.Reset();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        using var output = new MemoryStream();
        var writer = AudioStreamWriter.Create(AudioFormat.Wav, output, engine.SampleRate);
        double? firstChunkMs = null;
        var runsAtFirstChunk = 0;
        var sentences = 0;
        await foreach (var chunk in engine.SynthesizeAsync(Paragraph))
        {
            await writer.WriteAsync(chunk.Samples);
            sentences++;
            if (firstChunkMs is null)
            {
                firstChunkMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                runsAtFirstChunk = timings.Snapshot().Runs;
            }
        }

        await writer.CompleteAsync();
        var totalMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var (phonemizeSeconds, runSeconds, _) = timings.Snapshot();
        return new Run(totalMs, firstChunkMs ?? totalMs, runSeconds * 1000, phonemizeSeconds * 1000, sentences, runsAtFirstChunk,
            GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
    }

    private static void Report(string voice, List<Run> runs)
    {
        Console.WriteLine($"speak: {runs[0].Sentences} sentences, {Paragraph.Length} characters, voice {Path.GetFileName(voice)}, {runs.Count} iterations after 5 warm-up");
        Console.WriteLine($"{"",-28}{"median",10}{"p90",10}{"min",10}");
        BenchTable.Row("total (ms)", runs.Select(r => r.TotalMs));
        BenchTable.Row("first chunk written (ms)", runs.Select(r => r.FirstChunkMs));
        BenchTable.Row("inside ORT Run (ms)", runs.Select(r => r.RunMs));
        // With the portable phonemizer only the first sentence is phonemized before the first Run; the rest overlaps it.
        BenchTable.Row("phonemizer, every call (ms)", runs.Select(r => r.PhonemizeMs));
        BenchTable.Row("overhead = total - Run (ms)", runs.Select(r => r.TotalMs - r.RunMs));
        BenchTable.Row("allocated (KB)", runs.Select(r => r.AllocatedBytes / 1024.0));
    }
}
