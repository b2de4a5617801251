using System.Globalization;

namespace Hearsay.Benchmarks.Peers;

/// <summary>
/// The figures of the peers benchmark: every run's value per figure and side, printed as min and median with the
/// ratio Hearsay/peer (of the medians, and of the minimums). A side with no values says why it has none.
/// </summary>
internal sealed class PeerTable
{
    private readonly List<Figure> _figures = [];

    public IReadOnlyList<Figure> Figures => _figures;

    /// <summary>Adds a figure; <paramref name="peer"/> null for a figure that only Hearsay has.</summary>
    public Figure Add(string name, string unit, string? peer)
    {
        var figure = new Figure(name, unit, peer);
        _figures.Add(figure);
        return figure;
    }

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine($"{"figure",-58} {"Hearsay min / median",26} {"peer min / median",42} {"Hearsay/peer: medians; mins",29}");
        foreach (var figure in _figures)
        {
            var peer = figure.Peer is null ? "—" : $"{figure.Peer} {MinMedian(figure.PeerValues, figure.Unit)}";
            var ratio = figure.Peer is null || figure.HearsayValues.Count == 0 || figure.PeerValues.Count == 0
                ? "—"
                : string.Create(CultureInfo.InvariantCulture,
                    $"{Median(figure.HearsayValues) / Median(figure.PeerValues):0.00}x; {figure.HearsayValues.Min() / figure.PeerValues.Min():0.00}x");
            Console.WriteLine($"{figure.Name,-58} {MinMedian(figure.HearsayValues, figure.Unit),26} {peer,42} {ratio,29}");
        }

        foreach (var figure in _figures.Where(f => f.Missing.Count > 0))
        {
            Console.WriteLine($"not produced: {figure.Name}: {string.Join("; ", figure.Missing)}");
        }
    }

    private static string MinMedian(List<double> values, string unit) =>
        values.Count == 0
            ? "none"
            : $"{Format(values.Min())} / {Format(Median(values))} {unit} (n={values.Count})";

    /// <summary>Three significant digits or more: 1682, 42.9, 4.56.</summary>
    internal static string Format(double value) =>
        value.ToString(Math.Abs(value) >= 100 ? "0" : Math.Abs(value) >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture);

    private static double Median(List<double> values) => BenchTable.Median(values);

    /// <summary>One row: the values of each side, and what kept a side from having any.</summary>
    internal sealed class Figure(string name, string unit, string? peer)
    {
        public string Name { get; } = name;

        public string Unit { get; } = unit;

        public string? Peer { get; } = peer;

        public List<double> HearsayValues { get; } = [];

        public List<double> PeerValues { get; } = [];

        public List<string> Missing { get; } = [];
    }
}
