using System.Globalization;
using Hearsay.Core;
using Hearsay.Core.Models.Download;

namespace Hearsay.Cli;

/// <summary>
/// Download progress on stderr: on a terminal, one bar redrawn in place; otherwise (a log, a pipe) a plain line when
/// the phase changes, for each failed attempt, and at most every few seconds while bytes arrive. A failed attempt says
/// what went wrong and how long until the next.
/// </summary>
internal sealed class DownloadProgressView(TextWriter error, bool terminal, TimeProvider time) : IProgress<ModelDownloadProgress>
{
    private const int BarWidth = 24;
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    private ModelDownloadPhase? _phase;
    private long _lastPlainLine = long.MinValue;
    private bool _lineOpen;

    public void Report(ModelDownloadProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        // Each failed attempt gets its own line, even several in a row.
        var phaseChanged = value.Phase != _phase || value.Phase == ModelDownloadPhase.Retrying;
        _phase = value.Phase;
        if (terminal)
        {
            error.Write($"\r{Describe(value)}\u001b[K");
            _lineOpen = true;
            if (value.Phase == ModelDownloadPhase.Installed)
            {
                Finish();
            }

            return;
        }

        var now = time.GetTimestamp();
        if (phaseChanged || _lastPlainLine == long.MinValue || time.GetElapsedTime(_lastPlainLine, now) >= PlainInterval)
        {
            _lastPlainLine = now;
            error.WriteLine(Describe(value));
        }
    }

    /// <summary>Ends the redrawn line, so what follows (an error, the next model) starts on its own.</summary>
    public void Finish()
    {
        if (_lineOpen)
        {
            error.WriteLine();
            _lineOpen = false;
        }
    }

    private string Describe(ModelDownloadProgress value)
    {
        var fraction = value.BytesTotal > 0 ? (double)value.BytesDone / value.BytesTotal : 1;
        var amounts = $"{ByteSize.Format(value.BytesDone)} / {ByteSize.Format(value.BytesTotal)}";
        var detail = value.Phase switch
        {
            ModelDownloadPhase.WaitingForOtherDownload => "waiting for another download of this model",
            ModelDownloadPhase.Verifying => $"verifying {value.CurrentFile}",
            ModelDownloadPhase.Installed => "installed",
            ModelDownloadPhase.Retrying when value.Retry is { } retry => DownloadFailures.Describe(retry),
            _ => value.BytesPerSecond > 0
                ? $"{ByteSize.Format((long)value.BytesPerSecond)}/s, {Remaining(value.Eta)} left"
                : "starting",
        };
        var percent = string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(fraction * 100):0}%");
        return terminal
            ? $"{value.ModelId} [{new string('#', (int)(fraction * BarWidth)).PadRight(BarWidth, '.')}] {percent,4} {amounts}  {detail}"
            : $"{value.ModelId}: {percent} ({amounts}), {detail}";
    }

    private static string Remaining(TimeSpan? eta) => eta is not { } left ? "?"
        : left.TotalHours >= 1 ? left.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : left.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
