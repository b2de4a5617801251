using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>
/// Runs the parts of a split on the calling thread and on long-lived helper threads, for <see cref="ThreadRanges"/>.
/// A decoder step splits some thirty layers, each a few microseconds of work per part. Parallel.For allocated about
/// 2 KB of bookkeeping per split, most of what a transcription allocated: the collector ran five times a second and
/// promoted each request's own buffers into the old generation, where they waited for a full collection.
/// </summary>
/// <remarks>
/// The caller claims parts as the helpers do, so a split never waits for a helper to wake: with none free, the caller
/// runs every part. A thread waits only for parts that other threads are running, and never holds a part of another
/// split while it waits, so nested splits cannot deadlock. Which thread runs a part does not change its sums.
/// </remarks>
internal static class ForkJoin
{
    private static readonly ConcurrentQueue<Split> Pending = new();
    private static readonly SemaphoreSlim Offered = new(0);
    private static readonly long HelperSpinTicks = Stopwatch.Frequency / 20_000;
    private static readonly int HelperCount = StartHelpers(Environment.ProcessorCount - 1);

    /// <summary>Runs <paramref name="part"/> for 0 to <paramref name="parts"/> − 1, at most that many at once, and returns when all have.</summary>
    public static void Run(int parts, Action<int> part)
    {
        var split = new Split(parts, part);
        var helpers = Math.Min(parts - 1, HelperCount);
        for (var i = 0; i < helpers; i++)
        {
            Pending.Enqueue(split);
        }

        if (helpers > 0)
        {
            Offered.Release(helpers);
        }

        split.Work();
        split.WaitForOthers();
    }

    private static int StartHelpers(int count)
    {
        for (var i = 0; i < count; i++)
        {
            new Thread(Help) { IsBackground = true, Name = "Hearsay decoder helper" }.Start();
        }

        return count;
    }

    private static void Help()
    {
        while (true)
        {
            AwaitOffer();
            if (Pending.TryDequeue(out var split))
            {
                split.Work();
            }
        }
    }

    /// <summary>
    /// Spins a little before sleeping: a step's splits follow each other within microseconds, and a sleeping helper
    /// takes tens of them to wake, by which time the caller has run its part and is waiting for the helper's.
    /// </summary>
    private static void AwaitOffer()
    {
        var until = Stopwatch.GetTimestamp() + HelperSpinTicks;
        var spinner = default(SpinWait);
        while (Offered.CurrentCount == 0 && Stopwatch.GetTimestamp() < until)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        Offered.Wait();
    }

    private sealed class Split(int parts, Action<int> part)
    {
        private readonly int _parts = parts;
        private int _next;
        private int _running = parts;
        private Exception? _error;

        /// <summary>Claims and runs parts until none is left; a split whose parts are all claimed costs nothing.</summary>
        public void Work()
        {
            int claimed;
            while ((claimed = Interlocked.Increment(ref _next) - 1) < _parts)
            {
                try
                {
                    part(claimed);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _error, e, null);
                }
                finally
                {
                    Interlocked.Decrement(ref _running);
                }
            }
        }

        /// <summary>Waits for the parts other threads claimed (each a few microseconds), then rethrows a part's failure.</summary>
        public void WaitForOthers()
        {
            var spinner = default(SpinWait);
            while (Volatile.Read(ref _running) > 0)
            {
                // Never a 1 ms sleep: the part waited for takes microseconds.
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            if (_error is { } error)
            {
                ExceptionDispatchInfo.Throw(error);
            }
        }
    }
}
