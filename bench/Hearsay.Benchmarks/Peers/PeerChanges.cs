using System.Globalization;

namespace Hearsay.Benchmarks.Peers;

/// <summary>
/// Each figure's median beside the previous run's, with the change in %, so a slower figure shows (issue 16: "Nothing
/// gets slower"). Every figure is a time or a size: a positive change is worse. The peer's medians are printed too,
/// since a change on both sides is the machine's, not Hearsay's.
/// </summary>
internal static class PeerChanges
{
    public static void Print(PeerTable table, PeerResults previous, string source)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"beside the previous run ({source}: {previous.Date}, commit {previous.Commit ?? "unknown"}, {previous.Rounds} rounds, load {previous.Load.Min:0.00}-{previous.Load.Max:0.00}):"));
        Console.WriteLine($"{"figure",-58} {"Hearsay median: before → now",34} {"peer median: before → now",44}");
        foreach (var figure in table.Figures)
        {
            var before = previous.Find(figure.Name, figure.Peer);
            var peer = figure.Peer is null ? "—" : $"{figure.Peer} {Change(before?.PeerValues, figure.PeerValues, figure.Unit)}";
            Console.WriteLine($"{figure.Name,-58} {Change(before?.Hearsay, figure.HearsayValues, figure.Unit),34} {peer,44}");
        }
    }

    private static string Change(PeerResults.Side? before, List<double> now, string unit)
    {
        var median = now.Count == 0 ? (double?)null : BenchTable.Median(now);
        return (before, median) switch
        {
            (null, null) => "none",
            (null, { } m) => $"new: {PeerTable.Format(m)} {unit}",
            ({ } b, null) => $"{PeerTable.Format(b.Median)} → none",
            ({ } b, { } m) => string.Create(CultureInfo.InvariantCulture,
                $"{PeerTable.Format(b.Median)} → {PeerTable.Format(m)} {unit}, {(m - b.Median) / b.Median:+0.0%;-0.0%;0.0%}"),
        };
    }
}
