namespace Hearsay.Testing;

/// <summary>
/// Where tests find their inputs. A missing asset or program is a failure that names what is missing, never a
/// silent skip.
/// </summary>
public static class TestPaths
{
    /// <summary>Overrides the shared test assets folder (default <c>../shared/models</c> from the repo root).</summary>
    public const string AssetsVariable = "HEARSAY_TEST_ASSETS";

    private static readonly Lazy<string> Root = new(FindRepoRoot);

    /// <summary>The repository root (the folder holding <c>Hearsay.slnx</c>).</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>The shared, read-only test assets: real recordings, real configs, Silero VAD.</summary>
    public static string SharedAssets =>
        Environment.GetEnvironmentVariable(AssetsVariable) is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "models"));

    /// <summary>A file from the shared assets; fails naming it when it is absent.</summary>
    public static string SharedFile(params string[] parts) =>
        Existing(Path.Combine([SharedAssets, .. parts]), $"shared test asset (set {AssetsVariable} or provide ../shared/models)");

    /// <summary>A file under <c>tests/assets</c> (the repo's generated test models).</summary>
    public static string RepoAsset(params string[] parts) =>
        Existing(Path.Combine([RepoRoot, "tests", "assets", .. parts]), "generated test asset (see tools/testmodels/README.md)");

    /// <summary>Finds a program on PATH; fails with the install hint when it is absent.</summary>
    public static string Program(string name, string installHint)
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator);
        foreach (var directory in directories.Where(d => d.Length > 0))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"Required program '{name}' is not on PATH. {installHint}");
    }

    private static string Existing(string path, string what) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"Missing {what}: {path}", path);

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Hearsay.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Hearsay.slnx above {AppContext.BaseDirectory}.");
    }
}
