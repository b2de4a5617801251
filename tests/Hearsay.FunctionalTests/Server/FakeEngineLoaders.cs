using System.Collections.Concurrent;
using Hearsay.Core.Audio.Input;
using Hearsay.Core.Stt;
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

/// <summary>The real loader, whose engine writes down in order what happens to it and can hold its first run.</summary>
internal sealed class RecordingEngineLoader(IEngineLoader<ISpeechToTextEngine> real, FirstRunHold hold) : IEngineLoader<ISpeechToTextEngine>
{
    private readonly TaskCompletionSource<RecordingSpeechToTextEngine> _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The engine, once loaded.</summary>
    public Task<RecordingSpeechToTextEngine> Loaded => _loaded.Task;

    public string? MissingDependency() => real.MissingDependency();

    public async Task<ISpeechToTextEngine> LoadAsync(string path, CancellationToken cancellationToken)
    {
        var engine = new RecordingSpeechToTextEngine(await real.LoadAsync(path, cancellationToken), hold);
        _loaded.TrySetResult(engine);
        return engine;
    }
}

/// <summary>
/// A real engine whose whole-file runs and disposal are recorded, and whose first such run can be held.
/// </summary>
internal sealed class RecordingSpeechToTextEngine(ISpeechToTextEngine real, FirstRunHold hold) : ISpeechToTextEngine
{
    private readonly ConcurrentQueue<string> _events = new();
    private readonly TaskCompletionSource _runEntered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _runReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>"run", "run ended" (also when cancelled) and "disposed", in the order they happened.</summary>
    public IReadOnlyList<string> Events => [.. _events];

    public Task RunEntered => _runEntered.Task;

    public void ReleaseFirstRun() => _runReleased.TrySetResult();

    public IAsyncEnumerable<TranscriptionSegment> StreamAsync(
        MonoAudioReader audio, TranscribeOptions? options = null, IProgress<TranscriptionProgress>? progress = null, CancellationToken cancellationToken = default) =>
        real.StreamAsync(audio, options, progress, cancellationToken);

    public async Task<Transcription> TranscribeAsync(
        MonoAudioReader audio, TranscribeOptions? options = null, IProgress<TranscriptionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        _events.Enqueue("run");
        var first = _runEntered.TrySetResult();
        try
        {
            if (first && hold == FirstRunHold.UntilReleased)
            {
                // As a run inside ONNX Runtime, which looks at the token only between steps.
                await _runReleased.Task;
            }
            else if (first && hold == FirstRunHold.UntilReleasedOrCancelled)
            {
                await _runReleased.Task.WaitAsync(cancellationToken);
            }

            return await real.TranscribeAsync(audio, options, progress, cancellationToken);
        }
        finally
        {
            _events.Enqueue("run ended");
        }
    }

    public void Dispose()
    {
        _events.Enqueue("disposed");
        real.Dispose();
    }
}

/// <summary>Whether, and until what, a <see cref="RecordingSpeechToTextEngine"/> holds its first whole-file run.</summary>
internal enum FirstRunHold
{
    None,
    UntilReleased,
    UntilReleasedOrCancelled,
}
