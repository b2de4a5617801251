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

    private static string ExecutableName => OperatingSystem.IsWindows() ? "espeak-ng.exe" : "espeak-ng";

    /// <summary>Finds espeak-ng.</summary>
    /// <param name="configuredPath">An explicit path from options or the command line; null when not given.</param>
    /// <exception cref="DependencyUnavailableException">espeak-ng is not in any of the places searched.</exception>
    public EspeakNgProgram Locate(string? configuredPath = null)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            return Explicit(configuredPath, "the espeak-ng option");
        }

        if (_getEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            return Explicit(fromEnvironment, EnvironmentVariable);
        }

        var searched = new List<string>();
        var beside = Path.Combine(_applicationDirectory, ExecutableName);
        searched.Add(beside);
        if (File.Exists(beside))
        {
            return Found(beside, "next to hearsay");
        }

        foreach (var directory in PathDirectories())
        {
            var candidate = Path.Combine(directory, ExecutableName);
            searched.Add(candidate);
            if (File.Exists(candidate))
            {
                return Found(candidate, "PATH");
            }
        }

        throw NotFound($"looked in {string.Join(", ", searched)}", searched);
    }

    private static EspeakNgProgram Explicit(string path, string source)
    {
        var fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            fullPath = Path.Combine(fullPath, ExecutableName);
        }

        return File.Exists(fullPath)
            ? Found(fullPath, source)
            : throw NotFound($"{source} names {fullPath}, which does not exist", [fullPath]);
    }

    private static EspeakNgProgram Found(string executable, string source)
    {
        var directory = Path.GetDirectoryName(executable)!;
        var bundledData = Directory.Exists(Path.Combine(directory, DataFolderName)) ? directory : null;
        return new EspeakNgProgram(executable, bundledData, source);
    }

    private IEnumerable<string> PathDirectories() =>
        (_getEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(Path.IsPathFullyQualified)
            .Distinct(StringComparer.Ordinal);

    private static DependencyUnavailableException NotFound(string where, IReadOnlyList<string> searched) => new(
        "espeak-ng",
        $"TTS unavailable: espeak-ng not found ({where}). Install it (Debian/Ubuntu: apt-get install espeak-ng; " +
        $"Fedora: dnf install espeak-ng; macOS: brew install espeak-ng; Windows: the espeak-ng .msi from " +
        $"github.com/espeak-ng/espeak-ng/releases), or set {EnvironmentVariable} to the program's path.",
        searched);
}
