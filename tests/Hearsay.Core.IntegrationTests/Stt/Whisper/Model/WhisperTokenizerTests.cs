using System.Diagnostics;
using Hearsay.Core.Stt.Whisper.Model;
using Hearsay.Testing;

namespace Hearsay.Core.IntegrationTests.Stt.Whisper.Model;

/// <summary>
/// Encoding hostile prompts with the real vocabulary, timed against itself: ten times the text takes 12 to 25 times as
/// long here (n log n, and caches), not a hundred times. Bounded, so a quadratic merge fails the test instead of
/// hanging it; run apart from the other tests, so their load does not fall on one size only.
/// </summary>
[Collection(Collection)]
public class WhisperTokenizerTests
{
    public const string Collection = "Whisper tokenizer timing";

    [Theory]
    [InlineData("one letter repeated")]
    [InlineData("a word without spaces")]
    [InlineData("CJK (3 UTF-8 bytes each)")]
    public async Task Encode_TenTimesTheHostileText_TakesAtMostFiftyTimesAsLong(string kind)
    {
        var tokenizer = WhisperTokenizer.Load(TestPaths.SharedFile("whisper", "gpt2.tiktoken"));
        var small = HostilePrompts.All(20_000).Single(item => item.Kind == kind).Text;
        var large = HostilePrompts.All(200_000).Single(item => item.Kind == kind).Text;

        // The rescanning merge took 12 to 43 s on the 20,000 characters, and a hundred times that on the 200,000.
        var (smallMs, largeMs, decoded) = await Task.Run(() =>
        {
            var (smallMs, largeMs) = Fastest(tokenizer, small, large);
            return (smallMs, largeMs, tokenizer.Decode(tokenizer.Encode(large)));
        }).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(large, decoded);
        Assert.True(largeMs <= 50 * smallMs, $"{kind}: {smallMs:0.0} ms for 20,000 characters, {largeMs:0.0} ms for 200,000");
    }

    /// <summary>
    /// The fastest of five encodings of each text after a warm-up, taken in turns so that a busy moment of the machine
    /// cannot fall on one of them only.
    /// </summary>
    private static (double Small, double Large) Fastest(WhisperTokenizer tokenizer, string small, string large)
    {
        tokenizer.Encode(small);
        tokenizer.Encode(large);
        var (bestSmall, bestLarge) = (double.MaxValue, double.MaxValue);
        for (var round = 0; round < 5; round++)
        {
            bestSmall = Math.Min(bestSmall, Time(tokenizer, small));
            bestLarge = Math.Min(bestLarge, Time(tokenizer, large));
        }

        return (bestSmall, bestLarge);
    }

    private static double Time(WhisperTokenizer tokenizer, string text)
    {
        var started = Stopwatch.GetTimestamp();
        tokenizer.Encode(text);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}

[CollectionDefinition(WhisperTokenizerTests.Collection, DisableParallelization = true)]
public sealed class WhisperTokenizerTimingDefinition;
