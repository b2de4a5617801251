using System.IO.Hashing;
using Hearsay.Core.Tts.Phonemization.Portable;
using Wasmtime;

namespace Hearsay.Cli.PortablePhonemizer;

/// <summary>
/// The inside of the portable phonemizer's worker process: runs espeak-ng's WebAssembly module
/// (<c>espeak-ng.wasm</c>, GPL-3.0) on Wasmtime with this process's own standard input and output, so the serving
/// process only ever exchanges bytes with it through pipes and no GPL code runs in Hearsay's serving process
/// (ADR 0010). The compiled module is cached, because compiling it costs 200-300 ms per start. <c>hearsay</c> runs
/// this when started as <c>hearsay phonemizer-worker FOLDER</c>, which the serving process does, not people.
/// </summary>
/// <remarks>
/// It lives in the CLI and uses only constants from Hearsay.Core, so a worker never loads Hearsay.Core (nor the
/// cryptography stack): in the compressed single file each assembly loaded is inflated first, which made up a fifth of
/// a worker's start.
/// </remarks>
public static class PortablePhonemizerHost
{
    /// <summary>The hidden subcommand of <c>hearsay</c> that runs this.</summary>
    public const string Verb = PhonemizerWorkerCommand.Verb;

    /// <summary>The guest's path of the data folder, preopened read-only.</summary>
    private const string GuestDataPath = "/espeak-ng";

    /// <summary>Runs the module until its input ends, caching the compiled module in the per-user cache.</summary>
    /// <param name="bundleDirectory">The phonemizer folder: <c>espeak-ng.wasm</c> and <c>espeak-ng-data</c>.</param>
    /// <param name="error">Where a module that cannot be run is explained, in one line the serving process quotes.</param>
    /// <returns>The module's exit code: 0 when its input ended, 2 on a malformed request; 1 when it cannot be run.</returns>
    public static int Run(string bundleDirectory, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(bundleDirectory);
        ArgumentNullException.ThrowIfNull(error);
        var cache = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        try
        {
            return Run(Path.GetFullPath(bundleDirectory), cache.Length > 0 ? Path.Combine(cache, "hearsay", "cache") : null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or WasmtimeException)
        {
            error.WriteLine($"the portable phonemizer cannot run from {bundleDirectory}: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
    }

    /// <summary>Runs the module until its input ends; returns its exit code.</summary>
    /// <param name="bundleDirectory">The phonemizer folder: <c>espeak-ng.wasm</c> and <c>espeak-ng-data</c>.</param>
    /// <param name="cacheDirectory">Where the compiled module is kept; null compiles it every time.</param>
    private static int Run(string bundleDirectory, string? cacheDirectory)
    {
        var modulePath = Path.Combine(bundleDirectory, PortableEspeakNgBundle.ModuleFileName);
        using var engine = new Engine();
        using var module = LoadModule(engine, modulePath, cacheDirectory);
        using var linker = new Linker(engine);
        linker.DefineWasi();
        using var store = new Store(engine);
        store.SetWasiConfiguration(new WasiConfiguration()
            .WithArgs("hearsay-phonemizer", GuestDataPath)
            .WithPreopenedDirectory(bundleDirectory, GuestDataPath, mutable: false)
            .WithInheritedStandardInput()
            .WithInheritedStandardOutput()
            .WithInheritedStandardError());
        var start = linker.Instantiate(store, module).GetAction("_start")
            ?? throw new InvalidDataException($"{modulePath} has no _start: it is not a WASI program.");
        try
        {
            start();
            return 0;
        }
        catch (WasmtimeException e) when (e.ExitCode is { } exitCode)
        {
            return exitCode;
        }
    }

    /// <summary>The compiled module from the cache when it holds this exact module compiled by this Wasmtime, else compiled now and cached.</summary>
    private static Module LoadModule(Engine engine, string modulePath, string? cacheDirectory)
    {
        var wasm = File.ReadAllBytes(modulePath);
        if (cacheDirectory is null)
        {
            return Module.FromBytes(engine, "espeak-ng", wasm);
        }

        var cache = new CompiledModuleCache(cacheDirectory, TimeProvider.System);
        var key = Convert.ToHexStringLower(XxHash128.Hash(wasm)) + "-" + typeof(Engine).Assembly.GetName().Version;
        if (cache.TryRead(key) is { } compiled)
        {
            try
            {
                return Module.Deserialize(engine, "espeak-ng", compiled);
            }
            catch (WasmtimeException)
            {
                // Compiled for another machine (a copied profile, other CPU features): compile it again below.
            }
        }

        var module = Module.FromBytes(engine, "espeak-ng", wasm);
        cache.TryWrite(key, module.Serialize());
        return module;
    }
}
