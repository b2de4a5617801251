namespace Hearsay.Core.Tts.Piper;

/// <summary>
/// Bounds what concurrent inferences of one voice hold in memory together (ADR 0009): each inference enters with a
/// weight (the audio frames it will make, in phoneme ids at the voice's own pace) and waits, first come first served,
/// until the weights running leave room for it. Short sentences run side by side; two long pieces take turns.
/// </summary>
internal sealed class InferenceBudget(long capacity)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _waiting = new();
    private long _available = capacity;

    /// <summary>The most weight that runs at once.</summary>
    public long Capacity { get; } = capacity;

    /// <summary>Waits until <paramref name="weight"/> fits (a weight above the capacity runs alone); dispose the result when the inference ends.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public async Task<IDisposable> EnterAsync(long weight, CancellationToken cancellationToken)
    {
        weight = Math.Clamp(weight, 1, Capacity);
        Waiter waiter;
        LinkedListNode<Waiter> node;
        lock (_lock)
        {
            if (_waiting.Count == 0 && _available >= weight)
            {
                _available -= weight;
                return new Lease(this, weight);
            }

            waiter = new Waiter(weight, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            node = _waiting.AddLast(waiter);
        }

        using (cancellationToken.Register(() => Abandon(node, cancellationToken)))
        {
            await waiter.Admitted.Task.ConfigureAwait(false);
        }

        return new Lease(this, weight);
    }

    /// <summary>A waiter that gives up leaves the queue; those behind it may fit now.</summary>
    private void Abandon(LinkedListNode<Waiter> node, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // Already admitted: the weight is taken and the caller gets its lease.
            if (node.List is null)
            {
                return;
            }

            _waiting.Remove(node);
            node.Value.Admitted.TrySetCanceled(cancellationToken);
            AdmitWaiters();
        }
    }

    private void Exit(long weight)
    {
        lock (_lock)
        {
            _available += weight;
            AdmitWaiters();
        }
    }

    /// <summary>Admits waiters in arrival order while the first fits; a later light one never overtakes a heavy one.</summary>
    private void AdmitWaiters()
    {
        while (_waiting.First is { } first && first.Value.Weight <= _available)
        {
            _available -= first.Value.Weight;
            _waiting.RemoveFirst();
            first.Value.Admitted.TrySetResult();
        }
    }

    private sealed record Waiter(long Weight, TaskCompletionSource Admitted);

    private sealed class Lease(InferenceBudget budget, long weight) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                budget.Exit(weight);
            }
        }
    }
}
