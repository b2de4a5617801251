namespace Hearsay.Core.Models.Download;

/// <summary>How hard a download tries.</summary>
public sealed record ModelDownloadOptions
{
    /// <summary>Failed attempts in a row (no byte gained) before giving up.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>The wait after the first failure; it doubles after each further one.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts, also the cap on a server's <c>Retry-After</c>.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection that delivers no byte for this long is dropped and resumed.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The shortest interval between two progress reports.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(100);
}
