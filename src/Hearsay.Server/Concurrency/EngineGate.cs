using Hearsay.Contracts.Errors;
using Hearsay.Server.Errors;

namespace Hearsay.Server.Concurrency;

/// <summary>
/// Bounded parallelism with a bounded queue for one engine: up to <c>concurrency</c> runs at once, up to <c>queue</c>
/// waiting; beyond that a request is refused at once with 429 and <c>Retry-After</c> rather than piling up.
/// </summary>
internal sealed class EngineGate(string capability, int concurrency, int queue) : IDisposable
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _slots = new(concurrency, concurrency);
    private int _admitted;

    /// <summary>Waits for a turn; the returned turn must be disposed when the run ends.</summary>
    /// <exception cref="ApiException">429 when every slot and queue place is taken.</exception>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _admitted) > concurrency + queue)
        {
            Interlocked.Decrement(ref _admitted);
            throw new ApiException(
                429,
                ErrorCodes.EngineBusy,
                $"The {capability} engine is busy ({concurrency} running, {queue} waiting); retry in a moment.",
                retryAfter: RetryAfter);
        }

        try
        {
            await _slots.WaitAsync(cancellationToken);
        }
        catch
        {
            Interlocked.Decrement(ref _admitted);
            throw;
        }

        return new Turn(this);
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Turn(EngineGate gate) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                gate._slots.Release();
                Interlocked.Decrement(ref gate._admitted);
            }
        }
    }
}
