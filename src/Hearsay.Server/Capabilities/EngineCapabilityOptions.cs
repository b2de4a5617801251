namespace Hearsay.Server.Capabilities;

/// <summary>What differs between the speech-to-text and text-to-speech capabilities.</summary>
/// <param name="Name"><c>stt</c> or <c>tts</c>.</param>
/// <param name="Model">The configured model: a catalog id, a path, or <c>none</c>.</param>
/// <param name="LoadAsync">Loads the engine from a model folder or file.</param>
/// <param name="CheckDependency">Why the capability cannot work whatever the model (a missing program), or null.</param>
internal sealed record EngineCapabilityOptions<TEngine>(
    string Name,
    string Model,
    Func<string, CancellationToken, Task<TEngine>> LoadAsync,
    Func<string?> CheckDependency);
