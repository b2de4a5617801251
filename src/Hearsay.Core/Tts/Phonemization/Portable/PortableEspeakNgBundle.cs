namespace Hearsay.Core.Tts.Phonemization.Portable;

/// <summary>
/// The portable phonemizer's files, shipped in a folder of their own beside <c>hearsay</c>: espeak-ng compiled to
/// WebAssembly with its data (built by <c>tools/espeak-ng-wasm/build.sh</c>, GPL-3.0, see ADR 0010).
/// </summary>
/// <param name="Directory">The folder holding <c>espeak-ng.wasm</c> and <c>espeak-ng-data</c>.</param>
internal sealed record PortableEspeakNgBundle(string Directory)
{
    /// <summary>The folder's name beside the Hearsay binary.</summary>
    public const string FolderName = "espeak-ng-portable";

    /// <summary>The module's file name.</summary>
    public const string ModuleFileName = "espeak-ng.wasm";

    /// <summary>The compiled module.</summary>
    public string ModulePath => Path.Combine(Directory, ModuleFileName);

    /// <summary>Where the module is when the bundle ships beside <paramref name="applicationDirectory"/>.</summary>
    public static string ModulePathBeside(string applicationDirectory) =>
        new PortableEspeakNgBundle(Path.Combine(applicationDirectory, FolderName)).ModulePath;
}
