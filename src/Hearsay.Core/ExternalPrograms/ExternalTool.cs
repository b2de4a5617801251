namespace Hearsay.Core.ExternalPrograms;

/// <summary>One external program Hearsay runs, as found (or not) on this machine.</summary>
/// <param name="Name">The program: <c>espeak-ng</c> or <c>ffmpeg</c>.</param>
/// <param name="UsedFor">What Hearsay uses it for, in a sentence for people.</param>
/// <param name="ExecutablePath">Where it was found; null when it was not.</param>
/// <param name="Source">How it was found (the option, its environment variable, next to hearsay, PATH); null when it was not.</param>
/// <param name="Version">Its version as it reports it; null until asked (<see cref="ExternalTools.WithVersionAsync"/>) or when it did not answer.</param>
/// <param name="Problem">Why it counts as missing and what that disables, with what to do; null when it is usable.</param>
public sealed record ExternalTool(string Name, string UsedFor, string? ExecutablePath, string? Source, string? Version, string? Problem)
{
    /// <summary>Whether the program is there and usable.</summary>
    public bool Found => Problem is null;
}
