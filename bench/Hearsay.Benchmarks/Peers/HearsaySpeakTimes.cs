using System.Diagnostics;
using System.Globalization;
using Hearsay.Core.Tts.Piper;

namespace Hearsay.Benchmarks.Peers;

/// <summary>
/// The Hearsay side of the text-to-speech figure, in a process of its own (as sherpa-onnx's script is): a loaded
/// voice speaks one text, warm-ups first, then one line per timed iteration: total and first chunk, in ms.
/// </summary>
internal static class HearsaySpeakTimes
{
    /// <summary>usage: peers-speak VOICE WARMUPS ITERATIONS TEXT [--threads N] [--spin]</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var (voice, warmUps, iterations, text) =
            (args[0], int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture), args[3]);
        using var engine = await PiperTextToSpeech.LoadAsync(voice, new PiperTextToSpeechOptions { Threads = BenchTable.Threads(args), Phonemizer = PortableBundle.Options() });
        for (var i = 0; i < warmUps; i++)
        {
            await SpeakOnceAsync(engine, text);
        }

        for (var i = 0; i < iterations; i++)
        {
            var (totalMs, firstMs) = await SpeakOnceAsync(engine, text);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{totalMs:0.000} {firstMs:0.000}"));
        }

        return 0;
    }

    private static async Task<(double TotalMs, double FirstMs)> SpeakOnceAsync(PiperTextToSpeech engine, string text)
    {
        var started = Stopwatch.GetTimestamp();
        double? firstMs = null;
        await foreach (var _ in engine.SynthesizeAsync(text))
        {
            firstMs ??= Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, firstMs ?? double.NaN);
    }
}
