using Hearsay.Core.Tts.Piper;

namespace Hearsay.Core.Tests.Tts.Piper;

public sealed class InferenceThreadTests
{
    [Fact]
    public async Task RunAsync_ManyCallers_RunOneAtATimeInArrivalOrderOnOneThread()
    {
        using var thread = new InferenceThread("test");
        var running = 0;
        var overlapped = false;
        var order = new List<int>();
        var threads = new HashSet<int>();

        var calls = Enumerable.Range(0, 20).Select(i => thread.RunAsync(
            () =>
            {
                overlapped |= Interlocked.Increment(ref running) > 1;
                Thread.Sleep(2);
                order.Add(i);
                threads.Add(Environment.CurrentManagedThreadId);
                Interlocked.Decrement(ref running);
                return i;
            },
            CancellationToken.None)).ToList();

        Assert.Equal(Enumerable.Range(0, 20), await Task.WhenAll(calls));
        Assert.False(overlapped);
        Assert.Equal(Enumerable.Range(0, 20), order);
        Assert.NotEqual(Environment.CurrentManagedThreadId, Assert.Single(threads));
    }

    [Fact]
    public async Task RunAsync_CancelledWhileQueued_StopsWaitingAndNeverRuns()
    {
        using var thread = new InferenceThread("test");
        using var release = new ManualResetEventSlim();
        using var cancellation = new CancellationTokenSource();
        var blocker = thread.RunAsync(() => release.Wait(TimeSpan.FromSeconds(30)), CancellationToken.None);
        var ran = false;

        var queued = thread.RunAsync(() => ran = true, cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        release.Set();
        Assert.True(await blocker);
        Assert.Equal(1, await thread.RunAsync(() => 1, CancellationToken.None));
        Assert.False(ran);
    }

    [Fact]
    public async Task RunAsync_WorkThrows_FaultsOnlyThatCall()
    {
        using var thread = new InferenceThread("test");

        var failed = thread.RunAsync<int>(() => throw new InvalidOperationException("boom"), CancellationToken.None);

        Assert.Equal("boom", (await Assert.ThrowsAsync<InvalidOperationException>(() => failed)).Message);
        Assert.Equal(2, await thread.RunAsync(() => 2, CancellationToken.None));
    }
}
