using System.Globalization;
using Hearsay.Core.Onnx;

namespace Hearsay.Benchmarks;

/// <summary>What the speak and phonemizer benchmarks share: their options and their median/p90/min rows.</summary>
internal static class BenchTable
{
    /// <summary>Prints a row of median, 90th percentile and minimum, the label padded to <paramref name="width"/>.</summary>
    public static void Row(string name, IEnumerable<double> values, int width = 28)
    {
        var sorted = values.Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name.PadRight(width)}{Median(sorted),10:0.00}{sorted[(int)(sorted.Count * 0.9)],10:0.00}{sorted[0],10:0.00}"));
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>The value after <paramref name="name"/> in <paramref name="args"/>, or null.</summary>
    public static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    /// <summary><c>--threads N</c> (default <see cref="EngineThreads.Default"/>'s count) and <c>--spin</c>.</summary>
    public static EngineThreads Threads(string[] args) => new()
    {
        Count = Option(args, "--threads") is { } count ? int.Parse(count, CultureInfo.InvariantCulture) : EngineThreads.Default.Count,
        AllowSpinning = args.Contains("--spin"),
    };
}
