namespace Hearsay.Contracts.Status;

/// <summary>One external program Hearsay runs (espeak-ng, ffmpeg): whether it was found, and what its absence disables.</summary>
/// <param name="Name">The program: <c>espeak-ng</c> or <c>ffmpeg</c>.</param>
/// <param name="Found">Whether it was found and answered its version query.</param>
/// <param name="Path">Where it was found; null when it was not.</param>
/// <param name="Version">Its version, as it reports it; null when it was not found.</param>
/// <param name="UsedFor">What Hearsay uses it for, in a sentence for people.</param>
/// <param name="Reason">Why it counts as missing, and what that disables, in a sentence for people; null when found.</param>
public sealed record ToolStatus(string Name, bool Found, string? Path, string? Version, string UsedFor, string? Reason = null);
