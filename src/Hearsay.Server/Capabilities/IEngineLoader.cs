namespace Hearsay.Server.Capabilities;

/// <summary>
/// Loads one capability's engine from a model folder or file. One is registered in DI per engine type, so tests can
/// put fake engines in its place.
/// </summary>
internal interface IEngineLoader<TEngine>
    where TEngine : class, IDisposable
{
    /// <summary>Why the engine cannot work whatever the model (a program it runs is missing), or null.</summary>
    string? MissingDependency();

    /// <summary>Loads the engine. Whatever it throws ends the capability in <c>error</c> with the reason.</summary>
    /// <param name="path">The model folder or file.</param>
    /// <param name="cancellationToken">Stops the load.</param>
    /// <exception cref="Hearsay.Core.DependencyUnavailableException">A program the engine runs is missing: <c>unavailable</c>, not <c>error</c>.</exception>
    Task<TEngine> LoadAsync(string path, CancellationToken cancellationToken);
}
