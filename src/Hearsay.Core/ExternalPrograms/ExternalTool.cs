namespace Hearsay.Core.ExternalPrograms;

/// <summary>One external program Hearsay runs, as found (or not) on this machine.</summary>
/// <param name="Program">The program, from <see cref="ExternalProgram.All"/>.</param>
/// <param name="ExecutablePath">Where it was found; null when it was not.</param>
/// <param name="Source">How it was found (the option, its environment variable, next to hearsay, PATH); null when it was not.</param>
/// <param name="Version">Its version as it reports it; null until asked (<see cref="ExternalTools.WithVersionAsync"/>) or when it did not answer.</param>
/// <param name="Problem">Why it counts as missing and what that disables, with what to do; null when it is usable.</param>
public sealed record ExternalTool(ExternalProgram Program, string? ExecutablePath, string? Source, string? Version, string? Problem)
{
    /// <summary>The program's name: <c>espeak-ng</c> or <c>ffmpeg</c>.</summary>
    public string Name => Program.Name;

    /// <summary>What Hearsay uses it for, in a sentence for people.</summary>
    public string UsedFor => Program.UsedFor;

    /// <summary>Whether the program is there and usable.</summary>
    public bool Found => Problem is null;
}
