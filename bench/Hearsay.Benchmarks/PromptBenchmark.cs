using System.Diagnostics;
using System.Globalization;
using Hearsay.Core.Stt.Whisper.Model;
using Hearsay.Testing;

namespace Hearsay.Benchmarks;

/// <summary>
/// Times the encoding of a Whisper prompt (GPT-2 pre-tokenizer and byte-pair merges, the real vocabulary) on hostile
/// texts of growing length: time that grows ten times for ten times the text is linear, a hundred times quadratic.
/// </summary>
internal static class PromptBenchmark
{
    public static int Run(string[] args)
    {
        var largest = ServeBenchmark.IntOption(args, "--largest", 200_000);
        var iterations = ServeBenchmark.IntOption(args, "--iterations", 3);
        var tokenizer = WhisperTokenizer.Load(TestPaths.SharedFile("whisper", "gpt2.tiktoken"));
        // Every kind twice at full size first, so that the timings are of optimized code, not of the JIT's first tier.
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var (_, text) in HostilePrompts.All(largest))
            {
                tokenizer.Encode(text);
            }
        }

        Console.WriteLine($"prompt: encoding with gpt2.tiktoken, min of {iterations} runs after warming up");
        Console.WriteLine($"{"text",-28}{"characters",12}{"tokens",10}{"min ms",10}{"µs/char",10}");
        foreach (var size in new[] { largest / 10, largest / 2, largest })
        {
            foreach (var (kind, text) in HostilePrompts.All(size))
            {
                var tokens = 0;
                var best = double.MaxValue;
                for (var i = 0; i < iterations; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    tokens = tokenizer.Encode(text).Count;
                    best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{kind,-28}{text.Length,12}{tokens,10}{best,10:0.0}{best * 1000 / text.Length,10:0.00}"));
            }
        }

        return 0;
    }
}
