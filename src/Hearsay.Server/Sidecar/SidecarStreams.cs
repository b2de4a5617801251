namespace Hearsay.Server.Sidecar;

/// <summary>The process streams the sidecar contract uses; the CLI owns the console and hands them over.</summary>
/// <param name="ReadyOutput">Where the ready line goes (stdout).</param>
/// <param name="Input">Standard input when it is a pipe whose end should stop the server; null to not watch it.</param>
public sealed record SidecarStreams(TextWriter ReadyOutput, Stream? Input);
