using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hearsay.Benchmarks.Peers;

/// <summary>
/// One run of the peers benchmark as committed in <c>bench/peers/results/MODEL.json</c> (<c>MODEL-int8.json</c> at int8): when, on which commit, under
/// which load, and each figure's min and median per side. The next run prints its figures beside these, then replaces them.
/// </summary>
/// <param name="Date">The UTC day of the run (yyyy-MM-dd).</param>
/// <param name="Commit">The checkout's short commit, or null outside a git checkout.</param>
/// <param name="Rounds">Rounds run.</param>
/// <param name="Load">The lowest and highest 1-minute load read around the run's processes.</param>
/// <param name="Figures">Every row of the table.</param>
internal sealed record PeerResults(string Date, string? Commit, int Rounds, PeerResults.LoadRange Load, List<PeerResults.FigureResult> Figures)
{
    public static string PathFor(string repo, string resultsName) => Path.Combine(repo, "bench", "peers", "results", $"{resultsName}.json");

    public static PeerResults Of(PeerTable table, int rounds, IReadOnlyCollection<double> loads, string repo) => new(
        DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ShortCommit(repo),
        rounds,
        new LoadRange(loads.Min(), loads.Max()),
        table.Figures.Select(f => new FigureResult(f.Name, f.Unit, f.Peer, Side.Of(f.HearsayValues), f.Peer is null ? null : Side.Of(f.PeerValues))).ToList());

    /// <summary>The results in <paramref name="path"/>, or null when there are none yet.</summary>
    public static PeerResults? Read(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), PeerResultsJson.Default.PeerResults) : null;

    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, PeerResultsJson.Default.PeerResults) + "\n");
    }

    /// <summary>The row with this name and peer, or null when the run had none.</summary>
    public FigureResult? Find(string name, string? peer) => Figures.FirstOrDefault(f => f.Figure == name && f.Peer == peer);

    private static string? ShortCommit(string repo)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["-C", repo, "rev-parse", "--short", "HEAD"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            var commit = git?.StandardOutput.ReadToEnd().Trim();
            git?.WaitForExit();
            return git?.ExitCode == 0 && !string.IsNullOrEmpty(commit) ? commit : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    internal sealed record LoadRange(double Min, double Max);

    /// <param name="Figure">The row's name, as the table prints it.</param>
    /// <param name="Unit">ms, s or MiB.</param>
    /// <param name="Peer">The engine Hearsay is compared with, or null for a figure only Hearsay has.</param>
    /// <param name="Hearsay">Hearsay's values, or null when it produced none.</param>
    /// <param name="PeerValues">The peer's values, or null when it produced none.</param>
    internal sealed record FigureResult(string Figure, string Unit, string? Peer, Side? Hearsay, Side? PeerValues);

    /// <param name="Min">The smallest value.</param>
    /// <param name="Median">The median, as the table prints it.</param>
    /// <param name="N">How many values.</param>
    internal sealed record Side(double Min, double Median, int N)
    {
        // Three decimals: finer than any figure is printed or repeats from run to run.
        public static Side? Of(List<double> values) =>
            values.Count == 0 ? null : new Side(Math.Round(values.Min(), 3), Math.Round(BenchTable.Median(values), 3), values.Count);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PeerResults))]
internal sealed partial class PeerResultsJson : JsonSerializerContext;
