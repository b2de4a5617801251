using System.Reflection;
using Hearsay.Core.Tts.Phonemization;
using Hearsay.Core.Tts.Phonemization.Portable;
using Hearsay.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hearsay.Core.IntegrationTests.Tts.Phonemization;

/// <summary>The portable phonemizer as these tests run it: the bundle copied beside them, the CLI built with them as its worker.</summary>
internal static class PortablePhonemizer
{
    private static readonly string CliPath = typeof(PortablePhonemizer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "HearsayCliPath").Value!;

    /// <summary>The bundle the CLI's build put beside it.</summary>
    public static EspeakNgProgram Bundled =>
        EspeakNgLocator.FromPath(Path.Combine(Path.GetDirectoryName(CliPath)!, PortableEspeakNgBundle.FolderName, PortableEspeakNgBundle.ModuleFileName), "the CLI's build");

    public static PhonemizerWorkerCommand Worker =>
        File.Exists(CliPath) ? PhonemizerWorkerCommand.Resolve(CliPath) : throw new FileNotFoundException($"The CLI is not built: {CliPath}");

    public static PortableEspeakNgRunner Create(TimeSpan? timeout = null) => Create(Worker, timeout);

    /// <summary>A runner whose worker is started by <paramref name="worker"/> (a fake one, for fault tests).</summary>
    public static PortableEspeakNgRunner Create(PhonemizerWorkerCommand worker, TimeSpan? timeout = null) =>
        new(Bundled, worker, timeout ?? TimeSpan.FromSeconds(30), NullLogger.Instance);

    /// <summary>The native espeak-ng on PATH, which CI installs: the same version, 1.51.</summary>
    public static EspeakNgRunner Native() =>
        new(new EspeakNgLocator().Locate(kind: PhonemizerKind.Native), TimeSpan.FromSeconds(30));

    /// <summary>A worker that is a shell script running <paramref name="script"/>.</summary>
    public static PhonemizerWorkerCommand FakeWorker(TemporaryDirectory folder, string script) =>
        new(FakeProgram.Create(folder, "fake-worker", script), []);
}
