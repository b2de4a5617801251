namespace Hearsay.Core.Tts.Phonemization.Portable;

/// <summary>
/// How to start the portable phonemizer's worker: <c>hearsay</c> in its hidden worker mode, a process of its own, so
/// espeak-ng's GPL code never runs in the process that serves requests (ADR 0010).
/// </summary>
/// <param name="FileName">The program to start.</param>
/// <param name="Arguments">Its arguments before the worker's own.</param>
internal sealed record PhonemizerWorkerCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>The hidden subcommand of <c>hearsay</c> that hosts the module.</summary>
    public const string Verb = "phonemizer-worker";

    /// <summary>
    /// The <c>hearsay</c> to run: this process's own program when it is <c>hearsay</c> (the published single file, or
    /// <c>dotnet hearsay.dll</c>), else the one beside the application (an app that embeds Hearsay.Core ships it there).
    /// </summary>
    /// <param name="hearsayPath">An explicit <c>hearsay</c> program or <c>hearsay.dll</c>; null to find it.</param>
    public static PhonemizerWorkerCommand Resolve(string? hearsayPath = null)
    {
        if (hearsayPath is not null)
        {
            return ForPath(Path.GetFullPath(hearsayPath));
        }

        var entry = System.Reflection.Assembly.GetEntryAssembly();
        if (entry?.GetName().Name == "hearsay" && Environment.ProcessPath is { } process)
        {
            var location = AppContext.BaseDirectory + "hearsay.dll";
            return IsDotnetHost(process) ? new(process, ["exec", location]) : new(process, []);
        }

        var beside = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "hearsay.exe" : "hearsay");
        return ForPath(File.Exists(beside) ? beside : Path.Combine(AppContext.BaseDirectory, "hearsay.dll"));
    }

    /// <summary>The full argument list for a worker of <paramref name="bundle"/>.</summary>
    public IReadOnlyList<string> ArgumentsFor(PortableEspeakNgBundle bundle) => [.. Arguments, Verb, bundle.Directory];

    private static PhonemizerWorkerCommand ForPath(string path) =>
        path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new(DotnetHost(), ["exec", path])
            : new(path, []);

    private static bool IsDotnetHost(string path) => Path.GetFileNameWithoutExtension(path) == "dotnet";

    /// <summary>The dotnet host: the one running this process when it is one, else the SDK's, else <c>dotnet</c> on PATH.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } process && IsDotnetHost(process) ? process
        : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : "dotnet";
}
