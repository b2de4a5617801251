using System.Collections.Concurrent;

namespace Hearsay.Core.Tts.Piper;

/// <summary>
/// Runs a voice's inferences one at a time, in arrival order, on one long-lived thread (ADR 0009). One at a time bounds
/// the memory of all requests together by one piece's; one thread keeps the C heap from growing an arena per thread
/// (glibc gives each thread that allocates at the same time as another its own), which a new thread per inference
/// did, so the memory a finished inference freed was not reused by the next.
/// </summary>
internal sealed class InferenceThread : IDisposable
{
    private const int Queued = 0;
    private const int Started = 1;
    private const int Abandoned = 2;

    private readonly BlockingCollection<Action> _work = [];
    private readonly Thread _thread;

    public InferenceThread(string name)
    {
        _thread = new Thread(RunAll) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>
    /// Queues <paramref name="work"/>. A caller that cancels while its work waits stops waiting at once and the work is
    /// skipped; once the work runs, the work itself answers the token (ONNX Runtime's terminate flag).
    /// </summary>
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var state = Queued;
        var registration = cancellationToken.Register(() =>
        {
            if (Interlocked.CompareExchange(ref state, Abandoned, Queued) == Queued)
            {
                result.TrySetCanceled(cancellationToken);
            }
        });
        // Queued even when already cancelled: the work item skips itself and disposes the registration.
        _work.Add(
            () =>
            {
                using (registration)
                {
                    if (Interlocked.CompareExchange(ref state, Started, Queued) != Queued)
                    {
                        return;
                    }

                    try
                    {
                        result.TrySetResult(work());
                    }
                    catch (Exception e)
                    {
                        // As thrown, so that a cancellation keeps its cause (the run ONNX Runtime terminated).
                        result.TrySetException(e);
                    }
                }
            },
            CancellationToken.None);
        return result.Task;
    }

    /// <summary>Lets queued work finish, then ends the thread.</summary>
    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join();
        _work.Dispose();
    }

    private void RunAll()
    {
        foreach (var work in _work.GetConsumingEnumerable())
        {
            work();
        }
    }
}
