using Hearsay.Core.ExternalPrograms;

namespace Hearsay.Core.Tts.Phonemization;

/// <summary>
/// Finds the espeak-ng program (<see cref="ExternalProgram.EspeakNg"/>), which runs as a separate process because it
/// is GPL-3.0 and Hearsay links no GPL code (DESIGN decision 4), by the search every external program goes through:
/// the explicit option, <c>HEARSAY_ESPEAK_NG</c>, next to the Hearsay binary, then <c>PATH</c>. A bundled copy's
/// <c>espeak-ng-data</c> folder beside it is found too.
/// </summary>
public sealed class EspeakNgLocator
{
    private const string DataFolderName = "espeak-ng-data";

    private readonly ProgramLocator _locator;

    /// <summary>Creates a locator that reads the process environment and looks beside the running binary.</summary>
    public EspeakNgLocator()
        : this(Environment.GetEnvironmentVariable, AppContext.BaseDirectory)
    {
    }

    internal EspeakNgLocator(Func<string, string?> getEnvironmentVariable, string applicationDirectory)
    {
        _locator = new ProgramLocator(ExternalProgram.EspeakNg, getEnvironmentVariable, applicationDirectory);
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
}
