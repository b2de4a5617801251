using Hearsay.Core.Tts.Phonemization;
using Hearsay.Core.Tts.Phonemization.Portable;
using Hearsay.Testing;

namespace Hearsay.Benchmarks;

/// <summary>The portable phonemizer as the CLI's Release build has it: its bundle, and the CLI as its worker.</summary>
internal static class PortableBundle
{
    private static string CliDirectory => Path.Combine(TestPaths.RepoRoot, "artifacts", "bin", "Hearsay.Cli", "release");

    private static string ModulePath => Path.Combine(CliDirectory, PortableEspeakNgBundle.FolderName, PortableEspeakNgBundle.ModuleFileName);

    private static string CliDll => Path.Combine(CliDirectory, "hearsay.dll");

    public static EspeakNgProgram Program() =>
        File.Exists(ModulePath) && File.Exists(CliDll)
            ? EspeakNgLocator.FromPath(ModulePath, "the CLI's build")
            : throw new FileNotFoundException($"Build the CLI first (dotnet build src/Hearsay.Cli -c Release): {ModulePath}");

    public static PhonemizerWorkerCommand Worker() => PhonemizerWorkerCommand.Resolve(CliDll);

    /// <summary>The bundle in a folder <c>eng/publish.sh</c> wrote.</summary>
    public static EspeakNgProgram Published(string folder) =>
        EspeakNgLocator.FromPath(
            Path.Combine(Path.GetFullPath(folder), PortableEspeakNgBundle.FolderName, PortableEspeakNgBundle.ModuleFileName), "published");

    /// <summary>Phonemizer options that use this bundle and worker.</summary>
    public static PhonemizerOptions Options() => new() { EspeakNgPath = Program().ExecutablePath, WorkerPath = CliDll };
}
