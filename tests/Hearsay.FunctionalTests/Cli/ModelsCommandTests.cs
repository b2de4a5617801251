using Hearsay.Core;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Cli;

public class ModelsCommandTests
{
    [Fact]
    public async Task List_ShowsBuiltInAndPrivateModelsWithTheirState()
    {
        await using var registry = await ModelRegistry.StartAsync();

        var result = await HearsayCli.RunAsync(["models", "list"], environment: registry.Environment);

        Assert.Equal(0, result.ExitCode);
        var lines = result.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, line => line.StartsWith("whisper-tiny.en ", StringComparison.Ordinal) && line.EndsWith("not installed", StringComparison.Ordinal));
        // Nothing to download, which "0 B" would misstate as an empty model.
        Assert.Matches("^silero-vad +vad +built in +built in$", lines.Single(line => line.StartsWith("silero-vad ", StringComparison.Ordinal)));
        var voice = lines.Single(line => line.StartsWith(ModelRegistry.Voice, StringComparison.Ordinal));
        Assert.Contains(" tts ", voice, StringComparison.Ordinal);
        Assert.Contains($"  {ByteSize.Format(ModelRegistry.VoiceBytes)}  ", voice, StringComparison.Ordinal);
        Assert.EndsWith(" kB", ByteSize.Format(ModelRegistry.VoiceBytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_ThenUseByIdVerifyAndRemove()
    {
        await using var registry = await ModelRegistry.StartAsync();
        var env = registry.Environment;

        var pulled = await HearsayCli.RunAsync(["models", "pull", ModelRegistry.Voice, ModelRegistry.Whisper], environment: env);

        Assert.Equal(0, pulled.ExitCode);
        Assert.Equal([Path.Combine(registry.StoreRoot, ModelRegistry.Voice), Path.Combine(registry.StoreRoot, ModelRegistry.Whisper)], pulled.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // Not a terminal: plain lines, no carriage returns or escape codes.
        Assert.DoesNotContain('\r', pulled.Stderr);
        Assert.Contains($"{ModelRegistry.Voice}: 100% ", pulled.Stderr, StringComparison.Ordinal);
        Assert.Contains("installed", pulled.Stderr, StringComparison.Ordinal);

        var installedList = await HearsayCli.RunAsync(["models", "list", "--installed", "--kind", "tts"], environment: env);
        Assert.Contains(installedList.StdoutText.Split('\n'), line => line.StartsWith(ModelRegistry.Voice, StringComparison.Ordinal) && line.EndsWith(" installed", StringComparison.Ordinal));
        Assert.DoesNotContain(ModelRegistry.Whisper, installedList.StdoutText, StringComparison.Ordinal);

        var output = registry.Folder.File("out.wav");
        var spoken = await HearsayCli.RunAsync(["speak", "Hello.", "--voice", ModelRegistry.Voice, "-o", output], environment: env);
        Assert.Equal(0, spoken.ExitCode);
        Assert.True(new FileInfo(output).Length > 44);

        var transcribed = await HearsayCli.RunAsync(
            ["transcribe", TestPaths.SharedFile("audio", "wav16k", "jfk.wav"), "--model", ModelRegistry.Whisper, "--no-vad"], environment: env);
        Assert.Equal(0, transcribed.ExitCode);

        Assert.Equal(0, (await HearsayCli.RunAsync(["models", "verify"], environment: env)).ExitCode);
        var onnx = Path.Combine(registry.StoreRoot, ModelRegistry.Voice, "tiny-single.onnx");
        var bytes = await File.ReadAllBytesAsync(onnx);
        bytes[^10] ^= 0xFF;
        await File.WriteAllBytesAsync(onnx, bytes);
        var verify = await HearsayCli.RunAsync(["models", "verify", ModelRegistry.Voice], environment: env);
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains($"{ModelRegistry.Voice}: DAMAGED", verify.StdoutText, StringComparison.Ordinal);
        Assert.Contains("tiny-single.onnx: its SHA256 is", verify.StdoutText, StringComparison.Ordinal);

        var removed = await HearsayCli.RunAsync(["models", "rm", ModelRegistry.Voice], environment: env);
        Assert.Equal(0, removed.ExitCode);
        Assert.Contains("removed", removed.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(registry.StoreRoot, ModelRegistry.Voice)));
    }

    [Fact]
    public async Task Pull_AFileTheServerDoesNotHave_SaysSoInWordsAndShowsTheUrlOnlyWhenVerbose()
    {
        await using var registry = await ModelRegistry.StartAsync();
        var path = ModelRegistry.PathOf(ModelRegistry.Voice, "tiny-single.onnx");
        registry.Server.FailWith(path, 404, times: 10);

        var plain = await HearsayCli.RunAsync(["models", "pull", ModelRegistry.Voice], environment: registry.Environment);
        var verbose = await HearsayCli.RunAsync(["models", "pull", ModelRegistry.Voice, "--verbose"], environment: registry.Environment);

        Assert.Equal((1, 1), (plain.ExitCode, verbose.ExitCode));
        Assert.Equal(
            $"hearsay: {ModelRegistry.Voice}: The download server does not have this model's files (they may have moved). " +
            "Try again later, or update Hearsay for the current list of models.",
            plain.Stderr.Trim());
        Assert.Contains($"{registry.Server.Url(path).AbsoluteUri}: HTTP 404", verbose.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(registry.StoreRoot, ModelRegistry.Voice)), "the failed pull left an empty model folder");
    }

    [Fact]
    public async Task Speak_CatalogIdNotInstalled_SaysHowToPullIt()
    {
        await using var registry = await ModelRegistry.StartAsync();

        var result = await HearsayCli.RunAsync(["speak", "Hello.", "--voice", ModelRegistry.Voice, "-o", registry.Folder.File("x.wav")], environment: registry.Environment);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"hearsay: The model '{ModelRegistry.Voice}' is not installed; install it with 'hearsay models pull {ModelRegistry.Voice}'.", result.Stderr.Trim());
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("/etc")]
    public async Task Pull_TraversalOrAbsoluteId_IsRefused(string id)
    {
        await using var registry = await ModelRegistry.StartAsync();

        var result = await HearsayCli.RunAsync(["models", "pull", id], environment: registry.Environment);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not a model id", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(registry.StoreRoot));
    }

    [Fact]
    public async Task Pull_TwoProcessesAtOnce_DownloadTheModelOnce()
    {
        await using var registry = await ModelRegistry.StartAsync();
        var decoder = ModelRegistry.PathOf(ModelRegistry.Whisper, "tiny-en-decoder.int8.onnx");
        registry.Server.Throttle(decoder, 400_000);

        using var first = HearsayCli.Start(["models", "pull", ModelRegistry.Whisper], registry.Environment);
        await Poll.UntilAsync(() => registry.Server.BytesSent(decoder) > 0, TimeSpan.FromSeconds(30), "the first pull to start downloading");
        using var second = HearsayCli.Start(["models", "pull", ModelRegistry.Whisper], registry.Environment);
        var results = await Task.WhenAll(HearsayCli.CompleteAsync(first), HearsayCli.CompleteAsync(second));

        Assert.All(results, result => Assert.Equal(0, result.ExitCode));
        Assert.Equal(1, registry.Server.GetRequestCount(decoder));
        Assert.Contains("waiting for another download of this model", results[1].Stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await HearsayCli.RunAsync(["models", "verify", ModelRegistry.Whisper], environment: registry.Environment)).ExitCode);
    }

    [Fact]
    public async Task Pull_AfterTheFirstProcessWasKilled_ResumesItsPartialFile()
    {
        await using var registry = await ModelRegistry.StartAsync();
        var decoder = ModelRegistry.PathOf(ModelRegistry.Whisper, "tiny-en-decoder.int8.onnx");
        registry.Server.Throttle(decoder, 300_000);
        var partial = Path.Combine(registry.StoreRoot, ModelRegistry.Whisper, "tiny-en-decoder.int8.onnx.partial");

        using (var doomed = HearsayCli.Start(["models", "pull", ModelRegistry.Whisper], registry.Environment))
        {
            await Poll.UntilAsync(() => File.Exists(partial) && new FileInfo(partial).Length > 100_000, TimeSpan.FromSeconds(30), "the partial file to grow");
            doomed.Kill(entireProcessTree: true);
            await doomed.WaitForExitAsync();
        }

        var kept = new FileInfo(partial).Length;
        registry.Server.ClearFaults(decoder);
        var resumed = await HearsayCli.RunAsync(["models", "pull", ModelRegistry.Whisper], environment: registry.Environment);

        Assert.Equal(0, resumed.ExitCode);
        Assert.Equal($"bytes={kept}-", registry.Server.RangeHeaders(decoder)[^1]);
        Assert.Equal(0, (await HearsayCli.RunAsync(["models", "verify", ModelRegistry.Whisper], environment: registry.Environment)).ExitCode);
    }

    [Fact]
    public async Task Pull_InAPseudoTerminal_DrawsALiveProgressBar()
    {
        await using var registry = await ModelRegistry.StartAsync();
        registry.Server.Throttle(ModelRegistry.PathOf(ModelRegistry.Whisper, "tiny-en-decoder.int8.onnx"), 2_000_000);
        var command = string.Join(' ', HearsayCli.CommandLine(["models", "pull", ModelRegistry.Whisper]).Select(Quote));

        // script(1) runs the command with a pseudo-terminal as its stdout and stderr, as a user's shell would.
        using var script = ChildProcess.Start("script", ["-qefc", command, "/dev/null"], registry.Environment);
        var result = await ChildProcess.CompleteAsync(script);

        Assert.Equal(0, result.ExitCode);
        var screen = result.StdoutText;
        Assert.Contains($"\r{ModelRegistry.Whisper} [", screen, StringComparison.Ordinal);
        Assert.Contains("\u001b[K", screen, StringComparison.Ordinal);
        Assert.Contains("########################] 100%", screen, StringComparison.Ordinal);
        Assert.Contains("MB/s", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("MiB", screen, StringComparison.Ordinal);
        Assert.Contains("installed", screen, StringComparison.Ordinal);
        Assert.True(screen.Split('\r').Length > 3, "the bar was drawn only once");
    }

    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
