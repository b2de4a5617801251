namespace Hearsay.Core.ExternalPrograms;

/// <summary>A program found by <see cref="ProgramLocator"/>.</summary>
/// <param name="ExecutablePath">Full path of the program.</param>
/// <param name="Source">How it was found: "the espeak-ng option", the environment variable, "next to hearsay" or "PATH".</param>
internal sealed record LocatedProgram(string ExecutablePath, string Source);

/// <summary>Which copies of a program a search may return.</summary>
internal enum ProgramChoice
{
    /// <summary>Whatever is found first, the bundled alternative included.</summary>
    Any,

    /// <summary>Only the program itself (for espeak-ng: <c>--phonemizer native</c>).</summary>
    ProgramOnly,

    /// <summary>Only the bundled alternative (for espeak-ng: <c>--phonemizer portable</c>).</summary>
    BundledAlternativeOnly,
}

/// <summary>
/// The search every external program goes through: the explicit option, its environment variable, a bundled
/// alternative (<see cref="ExternalProgram.BundledAlternative"/>), next to the Hearsay binary, <c>PATH</c>, then the
/// folders installers use (<see cref="ExternalProgram.InstallDirectories"/>). An explicit option or variable that names a missing file is an error, not a fallback, so
/// a typo never silently picks another copy. Each search only looks at files: a few stats, cheap enough to repeat.
/// </summary>
/// <param name="program">The program: its name, variable and what to say when it is missing.</param>
/// <param name="getEnvironmentVariable">Reads the environment (injected by tests).</param>
/// <param name="applicationDirectory">The Hearsay binary's folder.</param>
/// <param name="choice">Which copies may be returned.</param>
internal sealed class ProgramLocator(
    ExternalProgram program, Func<string, string?> getEnvironmentVariable, string applicationDirectory, ProgramChoice choice = ProgramChoice.Any)
{
    /// <summary>How a bundled alternative is reported as found.</summary>
    public const string BundledAlternativeSource = "bundled beside hearsay";

    /// <summary>Reads the process environment and looks beside the running binary.</summary>
    public ProgramLocator(ExternalProgram program, ProgramChoice choice = ProgramChoice.Any)
        : this(program, Environment.GetEnvironmentVariable, AppContext.BaseDirectory, choice)
    {
    }

    public ExternalProgram Program => program;

    /// <summary>Finds the program.</summary>
    /// <exception cref="DependencyUnavailableException">It is not in any of the places searched.</exception>
    public LocatedProgram Locate(string? configuredPath)
    {
        var searched = new List<string>();
        return TryLocate(configuredPath, searched)
            ?? throw NotFound($"looked in {string.Join(", ", searched)}", searched);
    }

    /// <summary>
    /// Finds the program, or returns null when it is neither configured nor beside the binary nor on <c>PATH</c>;
    /// <paramref name="searched"/> receives every place looked in.
    /// </summary>
    /// <exception cref="DependencyUnavailableException">The option or the variable names a file that does not exist.</exception>
    public LocatedProgram? TryLocate(string? configuredPath, List<string> searched)
    {
        if (choice == ProgramChoice.BundledAlternativeOnly)
        {
            return BundledAlternative(searched);
        }

        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            return Explicit(configuredPath, $"the {program.Name} option");
        }

        if (getEnvironmentVariable(program.EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            return Explicit(fromEnvironment, program.EnvironmentVariable);
        }

        if (choice == ProgramChoice.Any && BundledAlternative(searched) is { } bundled)
        {
            return bundled;
        }

        var beside = Path.Combine(applicationDirectory, program.ExecutableName);
        searched.Add(beside);
        if (File.Exists(beside))
        {
            return new LocatedProgram(beside, "next to hearsay");
        }

        return InDirectories(PathDirectories(), "PATH", searched)
            ?? InDirectories(program.InstallDirectories, "its install folder", searched);
    }

    private LocatedProgram? InDirectories(IEnumerable<string> directories, string source, List<string> searched)
    {
        foreach (var directory in directories)
        {
            var candidate = Path.Combine(directory, program.ExecutableName);
            searched.Add(candidate);
            if (File.Exists(candidate))
            {
                return new LocatedProgram(candidate, source);
            }
        }

        return null;
    }

    private LocatedProgram? BundledAlternative(List<string> searched)
    {
        if (program.BundledAlternative is not { } find)
        {
            return null;
        }

        var path = find(applicationDirectory);
        searched.Add(path);
        return File.Exists(path) ? new LocatedProgram(path, BundledAlternativeSource) : null;
    }

    private LocatedProgram Explicit(string path, string source)
    {
        var fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            fullPath = Path.Combine(fullPath, program.ExecutableName);
        }

        return File.Exists(fullPath)
            ? new LocatedProgram(fullPath, source)
            : throw NotFound($"{source} names {fullPath}, which does not exist", [fullPath]);
    }

    private DependencyUnavailableException NotFound(string where, IReadOnlyList<string> searched) =>
        new(program.Name, program.NotFoundMessage(where), searched);

    private IEnumerable<string> PathDirectories() =>
        (getEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(Path.IsPathFullyQualified)
            .Distinct(StringComparer.Ordinal);
}
