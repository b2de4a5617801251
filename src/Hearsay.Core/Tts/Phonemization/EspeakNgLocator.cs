using Hearsay.Core.ExternalPrograms;
using Hearsay.Core.Tts.Phonemization.Portable;

namespace Hearsay.Core.Tts.Phonemization;

/// <summary>
/// Finds espeak-ng (<see cref="ExternalProgram.EspeakNg"/>), which runs in a process of its own because it is GPL-3.0
/// and Hearsay links no GPL code (DESIGN decision 4), by the search every external program goes through: the explicit
/// option, <c>HEARSAY_ESPEAK_NG</c>, the portable phonemizer beside the Hearsay binary (ADR 0010), the native program
/// next to it, <c>PATH</c>, then the folders installers use. A bundled native copy's <c>espeak-ng-data</c> folder
/// beside it is found too.
/// </summary>
public sealed class EspeakNgLocator
{
    private const string DataFolderName = "espeak-ng-data";

    private readonly Func<string, string?> _getEnvironmentVariable;
    private readonly string _applicationDirectory;

    /// <summary>Creates a locator that reads the process environment and looks beside the running binary.</summary>
    public EspeakNgLocator()
        : this(Environment.GetEnvironmentVariable, AppContext.BaseDirectory)
    {
    }

    internal EspeakNgLocator(Func<string, string?> getEnvironmentVariable, string applicationDirectory)
    {
        _getEnvironmentVariable = getEnvironmentVariable;
        _applicationDirectory = applicationDirectory;
    }

    /// <summary>Finds espeak-ng.</summary>
    /// <param name="configuredPath">An explicit path from options or the command line; null when not given.</param>
    /// <param name="kind">Forces the native program or the portable phonemizer; null takes the first found.</param>
    /// <exception cref="DependencyUnavailableException">espeak-ng is not in any of the places searched.</exception>
    public EspeakNgProgram Locate(string? configuredPath = null, PhonemizerKind? kind = null)
    {
        var locator = new ProgramLocator(ExternalProgram.EspeakNg, _getEnvironmentVariable, _applicationDirectory, Choice(kind));
        var found = locator.Locate(configuredPath);
        return FromPath(found.ExecutablePath, found.Source);
    }

    /// <summary>Which copies <paramref name="kind"/> allows.</summary>
    internal static ProgramChoice Choice(PhonemizerKind? kind) => kind switch
    {
        PhonemizerKind.Native => ProgramChoice.ProgramOnly,
        PhonemizerKind.Portable => ProgramChoice.BundledAlternativeOnly,
        _ => ProgramChoice.Any,
    };

    /// <summary>The espeak-ng a found path is: the portable phonemizer's module, or a native program.</summary>
    internal static EspeakNgProgram FromPath(string path, string source)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (IsPortableModule(path))
        {
            return new EspeakNgProgram(path, directory, source, PhonemizerKind.Portable);
        }

        var bundledData = Directory.Exists(Path.Combine(directory, DataFolderName)) ? directory : null;
        return new EspeakNgProgram(path, bundledData, source);
    }

    /// <summary>Whether a found path is the portable phonemizer's module rather than a program.</summary>
    internal static bool IsPortableModule(string path) =>
        Path.GetFileName(path).Equals(PortableEspeakNgBundle.ModuleFileName, StringComparison.OrdinalIgnoreCase);
}
