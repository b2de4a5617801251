using System.Globalization;

namespace Hearsay.Benchmarks;

/// <summary>The serve benchmark's table: one row per figure, with its goal and verdict where it has one.</summary>
internal sealed class ServeReport
{
    private readonly List<(string Name, string Value, string Detail, string Goal)> _rows = [];

    public bool AllGoalsMet { get; private set; } = true;

    public void Section(string title) => _rows.Add((title, "", "", ""));

    public void Row(string name, string value, string detail = "") => _rows.Add(("  " + name, value, detail, ""));

    /// <summary>A row with a goal; <paramref name="met"/> decides PASS or FAIL.</summary>
    public void Row(string name, string value, string detail, string goal, bool met)
    {
        AllGoalsMet &= met;
        _rows.Add(("  " + name, value, detail, $"{goal}: {(met ? "PASS" : "FAIL")}"));
    }

    /// <summary>Writes the table: the goal column before the detail, so that long details do not push it away.</summary>
    public void Print(TextWriter output)
    {
        var nameWidth = _rows.Max(r => r.Value.Length == 0 && r.Detail.Length == 0 ? 0 : r.Name.Length) + 2;
        var valueWidth = Math.Max(_rows.Max(r => r.Value.Length), "value".Length);
        var goalWidth = Math.Max(_rows.Max(r => r.Goal.Length), "goal".Length) + 2;
        output.WriteLine($"{"measurement".PadRight(nameWidth)}{"value".PadLeft(valueWidth)}  {"goal".PadRight(goalWidth)}detail");
        foreach (var (name, value, detail, goal) in _rows)
        {
            output.WriteLine(value.Length == 0 && detail.Length == 0
                ? name
                : $"{name.PadRight(nameWidth)}{value.PadLeft(valueWidth)}  {goal.PadRight(goalWidth)}{detail}".TrimEnd());
        }
    }

    public static string Ms(double milliseconds) => string.Create(CultureInfo.InvariantCulture, $"{milliseconds:0.0} ms");

    /// <summary>The spread of a sample: its size, p90 and range.</summary>
    public static string Spread(IReadOnlyCollection<double> milliseconds) => string.Create(CultureInfo.InvariantCulture,
        $"n={milliseconds.Count}, p90 {Percentile(milliseconds, 0.9):0.0}, min {milliseconds.Min():0.0}, max {milliseconds.Max():0.0}");

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The nearest-rank percentile (0 to 1).</summary>
    public static double Percentile(IEnumerable<double> values, double fraction)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(fraction * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
