using System.Globalization;
using System.Text.RegularExpressions;

namespace Hearsay.Testing;

/// <summary>
/// The server's debug line for each Realtime decode (event 2455, written by its <c>TranscriptionWorker</c>) as the
/// console logger prints it: the item, the kind (<c>Final</c>, <c>Early</c>, <c>Interim</c>) and the time it took.
/// </summary>
public static partial class RealtimeDecodeLog
{
    /// <summary>The decode a log line reports, or null when the line is another.</summary>
    public static RealtimeDecodeLine? Parse(string line) =>
        Line().Match(line) is { Success: true } match
            ? new RealtimeDecodeLine(
                match.Groups["item"].Value,
                match.Groups["kind"].Value,
                TimeSpan.Parse(match.Groups["elapsed"].Value, CultureInfo.InvariantCulture))
            : null;

    [GeneratedRegex(@"\[2455\] Realtime item (?<item>\S+): (?<kind>Final|Early|Interim) decode of [\d.]+ s of audio in (?<elapsed>\S+)")]
    private static partial Regex Line();
}

/// <summary>One decode the server logged.</summary>
/// <param name="ItemId">The item decoded.</param>
/// <param name="Kind"><c>Final</c>, <c>Early</c> or <c>Interim</c>.</param>
/// <param name="Elapsed">How long the engine took.</param>
public sealed record RealtimeDecodeLine(string ItemId, string Kind, TimeSpan Elapsed);
