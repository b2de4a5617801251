using Hearsay.Core.Tts.Piper;

namespace Hearsay.Core.Tests.Tts.Piper;

public sealed class InferenceBudgetTests
{
    [Fact]
    public async Task EnterAsync_WeightsThatFitTogether_RunAtOnce()
    {
        var budget = new InferenceBudget(10);

        using var first = await budget.EnterAsync(4, CancellationToken.None);
        using var second = await budget.EnterAsync(6, CancellationToken.None);
    }

    [Fact]
    public async Task EnterAsync_NoRoom_WaitsUntilALeaseEnds()
    {
        var budget = new InferenceBudget(10);
        var first = await budget.EnterAsync(8, CancellationToken.None);

        var second = budget.EnterAsync(8, CancellationToken.None);
        await Task.Delay(50);
        Assert.False(second.IsCompleted);

        first.Dispose();
        (await second).Dispose();
    }

    [Fact]
    public async Task EnterAsync_HeavierThanTheCapacity_RunsAlone()
    {
        var budget = new InferenceBudget(10);

        var heavy = await budget.EnterAsync(50, CancellationToken.None);
        var light = budget.EnterAsync(1, CancellationToken.None);
        await Task.Delay(50);
        Assert.False(light.IsCompleted);

        heavy.Dispose();
        (await light).Dispose();
    }

    [Fact]
    public async Task EnterAsync_LightAfterHeavy_DoesNotOvertakeIt()
    {
        var budget = new InferenceBudget(10);
        var running = await budget.EnterAsync(6, CancellationToken.None);

        var heavy = budget.EnterAsync(8, CancellationToken.None);
        var light = budget.EnterAsync(2, CancellationToken.None);
        await Task.Delay(50);
        Assert.False(light.IsCompleted);

        running.Dispose();
        var heavyLease = await heavy;
        await Task.Delay(50);
        Assert.True(light.IsCompleted);
        heavyLease.Dispose();
        (await light).Dispose();
    }

    [Fact]
    public async Task EnterAsync_CancelledWhileWaiting_ThrowsAndLetsTheNextIn()
    {
        var budget = new InferenceBudget(10);
        var running = await budget.EnterAsync(5, CancellationToken.None);
        using var cancellation = new CancellationTokenSource();

        var cancelled = budget.EnterAsync(10, cancellation.Token);
        var next = budget.EnterAsync(5, CancellationToken.None);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        (await next).Dispose();
        running.Dispose();
        // Every lease returned its weight: the whole capacity is free again.
        (await budget.EnterAsync(10, CancellationToken.None)).Dispose();
    }
}
