namespace Hearsay.Server.Capabilities;

/// <summary>A loaded engine lent to one request; disposing it gives the engine back.</summary>
internal sealed class EngineLease<TEngine>(TEngine engine, Action release) : IDisposable
    where TEngine : class
{
    private Action? _release = release;

    public TEngine Engine { get; } = engine;

    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
