namespace Hearsay.Server.Capabilities;

/// <summary>What differs between the speech-to-text and text-to-speech capabilities besides their engine loader.</summary>
/// <param name="Name"><c>stt</c> or <c>tts</c>.</param>
/// <param name="Model">The configured model: a catalog id, a path, or <c>none</c>.</param>
internal sealed record EngineCapabilityOptions(string Name, string Model);
