using System.Diagnostics.CodeAnalysis;
using Hearsay.Core.ExternalPrograms;

namespace Hearsay.Core.Audio.Input;

/// <summary>A located ffmpeg executable.</summary>
/// <param name="ExecutablePath">Full path of the program.</param>
/// <param name="Source">How it was found, e.g. "PATH" or "HEARSAY_FFMPEG".</param>
public sealed record FfmpegProgram(string ExecutablePath, string Source);

/// <summary>
/// Finds the ffmpeg program (<see cref="ExternalProgram.Ffmpeg"/>), which decodes audio formats Hearsay does not read
/// natively (mp3, ogg/opus, webm, m4a, flac) and encodes those it does not write natively (mp3, opus, aac, flac), by
/// the search every external program goes through: the explicit option, <c>HEARSAY_FFMPEG</c>, next to the Hearsay
/// binary, then <c>PATH</c>.
/// </summary>
public sealed class FfmpegLocator
{
    private readonly ProgramLocator _locator;

    /// <summary>Creates a locator that reads the process environment and looks beside the running binary.</summary>
    public FfmpegLocator()
        : this(Environment.GetEnvironmentVariable, AppContext.BaseDirectory)
    {
    }

    internal FfmpegLocator(Func<string, string?> getEnvironmentVariable, string applicationDirectory)
    {
        _locator = new ProgramLocator(ExternalProgram.Ffmpeg, getEnvironmentVariable, applicationDirectory);
    }

    /// <summary>Finds ffmpeg, for callers that need it (or want to check that it is there).</summary>
    /// <param name="configuredPath">An explicit path from options or the command line; null when not given.</param>
    /// <exception cref="DependencyUnavailableException">ffmpeg is not in any of the places searched.</exception>
    public FfmpegProgram Locate(string? configuredPath = null)
    {
        var found = _locator.Locate(configuredPath);
        return new FfmpegProgram(found.ExecutablePath, found.Source);
    }

    /// <summary>Finds ffmpeg if it is installed; false when it is neither configured nor beside the binary nor on <c>PATH</c>.</summary>
    /// <param name="configuredPath">An explicit path from options or the command line; null when not given.</param>
    /// <param name="program">The program found.</param>
    /// <exception cref="DependencyUnavailableException">
    /// <paramref name="configuredPath"/> or <c>HEARSAY_FFMPEG</c> names a file that does not exist.
    /// </exception>
    public bool TryLocate(string? configuredPath, [NotNullWhen(true)] out FfmpegProgram? program)
    {
        var found = _locator.TryLocate(configuredPath, []);
        program = found is null ? null : new FfmpegProgram(found.ExecutablePath, found.Source);
        return program is not null;
    }
}
