using Hearsay.Server.Capabilities;

namespace Hearsay.FunctionalTests.Server;

/// <summary>A loader that fails the way an unreadable or damaged model does, with an exception Hearsay did not write.</summary>
internal sealed class FailingEngineLoader<TEngine>(Exception failure) : IEngineLoader<TEngine>
    where TEngine : class, IDisposable
{
    public string? MissingDependency() => null;

    public async Task<TEngine> LoadAsync(string path, CancellationToken cancellationToken)
    {
        await Task.Yield();
        throw failure;
    }
}

/// <summary>The real loader behind a gate: the load starts, then waits until the test lets it through.</summary>
internal sealed class GatedEngineLoader<TEngine>(IEngineLoader<TEngine> real) : IEngineLoader<TEngine>
    where TEngine : class, IDisposable
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once a load has started.</summary>
    public Task Entered => _entered.Task;

    public void Release() => _released.TrySetResult();

    public string? MissingDependency() => real.MissingDependency();

    public async Task<TEngine> LoadAsync(string path, CancellationToken cancellationToken)
    {
        _entered.TrySetResult();
        await _released.Task.WaitAsync(cancellationToken);
        return await real.LoadAsync(path, cancellationToken);
    }
}
