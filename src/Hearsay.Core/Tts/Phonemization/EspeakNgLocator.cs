using Hearsay.Core.ExternalPrograms;

namespace Hearsay.Core.Tts.Phonemization;

/// <summary>
/// Finds the espeak-ng program. It runs as a separate process because it is GPL-3.0 and Hearsay links no GPL code
/// (DESIGN decision 4). Search order: the explicit option, <c>HEARSAY_ESPEAK_NG</c>, next to the Hearsay binary,
/// then <c>PATH</c>. An explicit option or variable that names a missing file is an error, not a fallback, so a
/// typo never silently picks another espeak-ng.
/// </summary>
public sealed class EspeakNgLocator
{
    /// <summary>The environment variable that names the espeak-ng program.</summary>
    public const string EnvironmentVariable = "HEARSAY_ESPEAK_NG";

    private const string DataFolderName = "espeak-ng-data";

    private readonly ProgramLocator _locator;

    /// <summary>Creates a locator that reads the process environment and looks beside the running binary.</summary>
    public EspeakNgLocator()
        : this(Environment.GetEnvironmentVariable, AppContext.BaseDirectory)
    {
    }

    internal EspeakNgLocator(Func<string, string?> getEnvironmentVariable, string applicationDirectory)
    {
        _locator = new ProgramLocator("espeak-ng", EnvironmentVariable, getEnvironmentVariable, applicationDirectory, NotFound);
    }

    /// <summary>Finds espeak-ng.</summary>
    /// <param name="configuredPath">An explicit path from options or the command line; null when not given.</param>
    /// <exception cref="DependencyUnavailableException">espeak-ng is not in any of the places searched.</exception>
    public EspeakNgProgram Locate(string? configuredPath = null)
    {
        var found = _locator.Locate(configuredPath);
        var directory = Path.GetDirectoryName(found.ExecutablePath)!;
        var bundledData = Directory.Exists(Path.Combine(directory, DataFolderName)) ? directory : null;
        return new EspeakNgProgram(found.ExecutablePath, bundledData, found.Source);
    }

    private static DependencyUnavailableException NotFound(string where, IReadOnlyList<string> searched) => new(
        "espeak-ng",
        $"TTS unavailable: espeak-ng not found ({where}). Install it (Debian/Ubuntu: apt-get install espeak-ng; " +
        $"Fedora: dnf install espeak-ng; macOS: brew install espeak-ng; Windows: the espeak-ng .msi from " +
        $"github.com/espeak-ng/espeak-ng/releases), or set {EnvironmentVariable} to the program's path.",
        searched);
}
