namespace Hearsay.Core.Models.Download;

/// <summary>Turns byte counts into throttled progress reports with a rate over the last few seconds.</summary>
internal sealed class ProgressTracker(
    string modelId, long total, IProgress<ModelDownloadProgress>? progress, TimeProvider time, TimeSpan interval)
{
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(3);

    private readonly Queue<(long Ticks, long Bytes)> _samples = new();
    private long _lastReport = long.MinValue;

    public long Done { get; private set; }

    /// <summary>Bytes already on disk when the install starts (resumed partials): they count as done, not towards the rate.</summary>
    public void Start(long alreadyDone) => Done = alreadyDone;

    public void Advance(long bytes, string file)
    {
        Done += bytes;
        var now = time.GetTimestamp();
        _samples.Enqueue((now, Done));
        while (_samples.Count > 2 && time.GetElapsedTime(_samples.Peek().Ticks, now) > RateWindow)
        {
            _samples.Dequeue();
        }

        if (_lastReport == long.MinValue || time.GetElapsedTime(_lastReport, now) >= interval)
        {
            _lastReport = now;
            Report(ModelDownloadPhase.Downloading, file);
        }
    }

    /// <summary>Forgets bytes that had to be thrown away (a server that ignored Range, a corrupt file).</summary>
    public void Rewind(long bytes) => Done -= bytes;

    public void Report(ModelDownloadPhase phase, string? file) =>
        progress?.Report(new ModelDownloadProgress(modelId, phase, Done, total, Rate(), file));

    /// <summary>Reports a failed attempt and the wait before the next, always (a retry is never throttled away).</summary>
    public void ReportRetry(ModelDownloadRetry retry, string file)
    {
        // The rate before the failure says nothing about the next attempt.
        _samples.Clear();
        progress?.Report(new ModelDownloadProgress(modelId, ModelDownloadPhase.Retrying, Done, total, 0, file) { Retry = retry });
    }

    private double Rate()
    {
        if (_samples.Count < 2)
        {
            return 0;
        }

        var (firstTicks, firstBytes) = _samples.Peek();
        var (lastTicks, lastBytes) = _samples.Last();
        var seconds = time.GetElapsedTime(firstTicks, lastTicks).TotalSeconds;
        return seconds > 0 ? (lastBytes - firstBytes) / seconds : 0;
    }
}
