using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Cli;

/// <summary><c>models export</c>, <c>import</c>, <c>seed</c> and <c>pull --replace</c>, run as a user would.</summary>
public class ModelsTransferCommandTests
{
    [Fact]
    public async Task ExportThenImportIntoAnotherStore_GivesAModelThatVerifiesAndSpeaks()
    {
        await using var registry = await ModelRegistry.StartAsync();
        Assert.Equal(0, (await HearsayCli.RunAsync(["models", "pull", ModelRegistry.Voice], environment: registry.Environment)).ExitCode);
        var archive = registry.Folder.File("voice.tar.gz");

        var exported = await HearsayCli.RunAsync(["models", "export", ModelRegistry.Voice, archive], environment: registry.Environment);

        Assert.Equal(0, exported.ExitCode);
        Assert.Equal(archive, exported.StdoutText.Trim());
        var otherMachine = OtherStore(registry);
        var imported = await HearsayCli.RunAsync(["models", "import", archive], environment: otherMachine);
        Assert.Equal(0, imported.ExitCode);
        Assert.Equal($"{ModelRegistry.Voice}: imported and verified", imported.Stderr.Trim());
        Assert.Equal(0, (await HearsayCli.RunAsync(["models", "verify", ModelRegistry.Voice], environment: otherMachine)).ExitCode);
        var output = registry.Folder.File("out.wav");
        Assert.Equal(0, (await HearsayCli.RunAsync(["speak", "Hello.", "--voice", ModelRegistry.Voice, "-o", output], environment: otherMachine)).ExitCode);
        Assert.True(new FileInfo(output).Length > 44);
        // Nothing was downloaded for the second store.
        Assert.Equal(1, registry.Server.GetRequestCount(ModelRegistry.PathOf(ModelRegistry.Voice, "tiny-single.onnx")));
    }

    [Fact]
    public async Task Import_AFolderWithADamagedFile_IsRefusedAndNothingIsInstalled()
    {
        await using var registry = await ModelRegistry.StartAsync();
        Assert.Equal(0, (await HearsayCli.RunAsync(["models", "pull", ModelRegistry.Voice], environment: registry.Environment)).ExitCode);
        var copy = Path.Combine(registry.Folder.Path, "copied");
        Assert.Equal(0, (await HearsayCli.RunAsync(["models", "export", ModelRegistry.Voice, copy], environment: registry.Environment)).ExitCode);
        var onnx = Path.Combine(copy, ModelRegistry.Voice, "tiny-single.onnx");
        await File.AppendAllTextAsync(onnx, "x");

        var otherMachine = OtherStore(registry);
        var imported = await HearsayCli.RunAsync(["models", "import", Path.Combine(copy, ModelRegistry.Voice)], environment: otherMachine);

        Assert.Equal(1, imported.ExitCode);
        Assert.Contains("tiny-single.onnx", imported.Stderr, StringComparison.Ordinal);
        var list = await HearsayCli.RunAsync(["models", "list", "--installed", "--kind", "tts"], environment: otherMachine);
        Assert.DoesNotContain(ModelRegistry.Voice, list.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seed_ImportsWhatTheStoreLacksAndNamesWhatItRefused()
    {
        await using var registry = await ModelRegistry.StartAsync();
        var env = registry.Environment;
        Assert.Equal(0, (await HearsayCli.RunAsync(["models", "pull", ModelRegistry.Voice, ModelRegistry.Whisper], environment: env)).ExitCode);
        var bundle = Path.Combine(registry.Folder.Path, "bundle");
        Directory.CreateDirectory(bundle);
        Assert.Equal(0, (await HearsayCli.RunAsync(["models", "export", ModelRegistry.Voice, Path.Combine(bundle, "voice.zip")], environment: env)).ExitCode);
        Assert.Equal(0, (await HearsayCli.RunAsync(["models", "export", ModelRegistry.Whisper, bundle], environment: env)).ExitCode);
        var installer = OtherStore(registry);

        var seeded = await HearsayCli.RunAsync(["models", "seed", bundle], environment: installer);

        Assert.Equal(0, seeded.ExitCode);
        Assert.Contains($"{ModelRegistry.Voice}: imported and verified", seeded.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{ModelRegistry.Whisper}: imported and verified", seeded.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, seeded.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        await File.WriteAllTextAsync(Path.Combine(bundle, "broken.tar"), "not an archive");
        var again = await HearsayCli.RunAsync(["models", "seed", bundle], environment: installer);

        Assert.Equal(1, again.ExitCode);
        Assert.Contains($"{ModelRegistry.Voice}: already installed", again.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{ModelRegistry.Whisper}: already installed", again.Stderr, StringComparison.Ordinal);
        Assert.Contains("broken.tar: not imported: ", again.Stderr, StringComparison.Ordinal);
        Assert.Contains("1 of 3 entries were not imported", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await HearsayCli.RunAsync(["models", "verify"], environment: installer)).ExitCode);
    }

    [Fact]
    public async Task Seed_AFolderThatIsNotThere_SaysSo()
    {
        await using var registry = await ModelRegistry.StartAsync();

        var seeded = await HearsayCli.RunAsync(["models", "seed", registry.Folder.File("nowhere")], environment: registry.Environment);

        Assert.Equal(1, seeded.ExitCode);
        Assert.Contains("There is no folder", seeded.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_AfterTheCatalogChanged_KeepsTheInstalledVersionUntilReplaceIsGiven()
    {
        await using var registry = await ModelRegistry.StartAsync();
        var env = registry.Environment;
        var folder = Path.Combine(registry.StoreRoot, ModelRegistry.Voice);
        Assert.Equal(0, (await HearsayCli.RunAsync(["models", "pull", ModelRegistry.Voice], environment: env)).ExitCode);
        await registry.UpdateVoiceAsync();

        var listed = await HearsayCli.RunAsync(["models", "list", "--kind", "tts"], environment: env);
        Assert.Contains("update available (pull --replace)", listed.StdoutText, StringComparison.Ordinal);
        var kept = await HearsayCli.RunAsync(["models", "pull", ModelRegistry.Voice], environment: env);
        Assert.Equal(0, kept.ExitCode);
        Assert.Contains($"'pull --replace {ModelRegistry.Voice}' updates it", kept.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "tiny-single.onnx")));

        var replaced = await HearsayCli.RunAsync(["models", "pull", "--replace", ModelRegistry.Voice], environment: env);

        Assert.Equal(0, replaced.ExitCode);
        Assert.DoesNotContain("updates it", replaced.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "tiny-multi.onnx")));
        Assert.False(File.Exists(Path.Combine(folder, "tiny-single.onnx")), "the previous version's files were left behind");
        Assert.Equal(0, (await HearsayCli.RunAsync(["models", "verify", ModelRegistry.Voice], environment: env)).ExitCode);
        var relisted = await HearsayCli.RunAsync(["models", "list", "--kind", "tts"], environment: env);
        Assert.DoesNotContain("update available", relisted.StdoutText, StringComparison.Ordinal);
    }

    /// <summary>The registry's catalog with a second, empty store: another machine, or an app installing for the first time.</summary>
    private static Dictionary<string, string?> OtherStore(ModelRegistry registry) =>
        new(registry.Environment) { ["HEARSAY_MODELS_DIR"] = registry.Folder.File("other-store") };
}
