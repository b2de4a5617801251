namespace Hearsay.Cli;

/// <summary>The CLI's exit codes, documented in the README.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A model, a dependency or the system failed.</summary>
    public const int Failure = 1;

    /// <summary>The command line or the input was invalid.</summary>
    public const int InvalidUsage = 2;

    /// <summary>A capability is unavailable because a dependency (espeak-ng) is missing.</summary>
    public const int Unavailable = 3;

    /// <summary>Interrupted (Ctrl+C), as shells report SIGINT.</summary>
    public const int Cancelled = 130;
}
