namespace Hearsay.Server.Endpoints.Realtime;

/// <summary>
/// Server-wide: how many utterances of all Realtime sessions wait for (or hold) the engine for their final
/// transcript. While any does, interim decodes are skipped, so finals never queue behind them.
/// </summary>
internal sealed class RealtimeDecodePriority
{
    private int _finals;

    public bool FinalsWaiting => Volatile.Read(ref _finals) > 0;

    /// <summary>Counts a final until the returned handle is disposed.</summary>
    public IDisposable Final()
    {
        Interlocked.Increment(ref _finals);
        return new Handle(this);
    }

    private sealed class Handle(RealtimeDecodePriority priority) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                Interlocked.Decrement(ref priority._finals);
            }
        }
    }
}
