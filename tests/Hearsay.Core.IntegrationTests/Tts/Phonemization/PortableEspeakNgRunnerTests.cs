using System.Diagnostics;
using Hearsay.Core.Tts.Phonemization;
using Hearsay.Core.Tts.Phonemization.Portable;
using Hearsay.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hearsay.Core.IntegrationTests.Tts.Phonemization;

/// <summary>The portable phonemizer's worker under faults: crashes, hangs, concurrent callers, hostile text.</summary>
public sealed class PortableEspeakNgRunnerTests
{
    /// <summary>A fake worker's answer to any request: "fake" on one line.</summary>
    private const string Answer = "IFS=' ' read -r voice count; head -c \"$count\" >/dev/null; printf 'OK 5\\nfake\\n'";

    [Fact]
    public async Task PhonemizeAsync_WorkerKilledBetweenCalls_StartsAnotherAndAnswers()
    {
        using var runner = PortablePhonemizer.Create();
        var first = await runner.PhonemizeAsync("en-us", "Hello world.\n", CancellationToken.None);
        var killed = runner.WorkerProcessId!.Value;
        using (var process = Process.GetProcessById(killed))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        var second = await runner.PhonemizeAsync("en-us", "Hello world.\n", CancellationToken.None);

        Assert.Equal(first, second);
        Assert.NotEqual(killed, runner.WorkerProcessId);
    }

    [Fact]
    public async Task PhonemizeAsync_WorkerCrashesMidRequest_RetriesOnceInANewWorker()
    {
        using var folder = new TemporaryDirectory();
        var marker = folder.File("crashed-once");
        // The first worker dies while it holds the request; the one started after it answers.
        var worker = PortablePhonemizer.FakeWorker(folder,
            $"echo 'READY fake'; if [ ! -e '{marker}' ]; then touch '{marker}'; read -r header; echo 'dying' >&2; exit 9; fi; {Answer}");
        using var runner = PortablePhonemizer.Create(worker);

        var lines = await runner.PhonemizeAsync("en-us", "Hello.\n", CancellationToken.None);

        Assert.Equal(["fake"], lines);
        Assert.True(File.Exists(marker));
    }

    [Fact]
    public async Task PhonemizeAsync_WorkerCrashesTwice_FailsWithTheReason()
    {
        using var folder = new TemporaryDirectory();
        var worker = PortablePhonemizer.FakeWorker(folder, "echo 'READY fake'; read -r header; echo 'out of luck' >&2; exit 9");
        using var runner = PortablePhonemizer.Create(worker);

        var error = await Assert.ThrowsAsync<HearsayException>(() => runner.PhonemizeAsync("en-us", "Hello.\n", CancellationToken.None));

        Assert.Equal(HearsayErrorCode.DependencyFailed, error.Code);
        Assert.Equal("The portable phonemizer failed twice on this text (exit code 9: out of luck).", error.Message);
    }

    [Fact]
    public async Task PhonemizeAsync_WorkerHangs_IsKilledAfterTheTimeoutWithAClearError()
    {
        using var folder = new TemporaryDirectory();
        var pidFile = folder.File("pid");
        var worker = PortablePhonemizer.FakeWorker(folder, $"echo $$ > '{pidFile}'; echo 'READY fake'; exec sleep 600");
        using var runner = PortablePhonemizer.Create(worker, TimeSpan.FromSeconds(1));
        var started = Stopwatch.GetTimestamp();

        var error = await Assert.ThrowsAsync<HearsayException>(() => runner.PhonemizeAsync("en-us", "Hello.\n", CancellationToken.None));

        Assert.Equal("The portable phonemizer did not answer within 1 s; it was stopped.", error.Message);
        Assert.InRange(Stopwatch.GetElapsedTime(started).TotalSeconds, 0.9, 10);
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await Poll.UntilAsync(() => !IsRunning(pid), TimeSpan.FromSeconds(10), "the hung worker was not killed");
    }

    [Fact]
    public async Task PhonemizeAsync_WorkerNeverReady_FailsToStart()
    {
        using var folder = new TemporaryDirectory();
        var worker = PortablePhonemizer.FakeWorker(folder, "echo 'no module here' >&2; exit 3");
        using var runner = PortablePhonemizer.Create(worker);

        var error = await Assert.ThrowsAsync<HearsayException>(() => runner.PhonemizeAsync("en-us", "Hello.\n", CancellationToken.None));

        Assert.Equal("The portable phonemizer did not start (exit code 3: no module here).", error.Message);
    }

    [Fact]
    public async Task PhonemizeAsync_BundleMissing_TheRealWorkerSaysWhyInOneLine()
    {
        using var folder = new TemporaryDirectory();
        var missing = EspeakNgLocator.FromPath(folder.File("espeak-ng.wasm"), "a test");
        using var runner = new PortableEspeakNgRunner(missing, PortablePhonemizer.Worker, TimeSpan.FromSeconds(30), NullLogger.Instance);

        var error = await Assert.ThrowsAsync<HearsayException>(() => runner.PhonemizeAsync("en-us", "Hello.\n", CancellationToken.None));

        Assert.StartsWith($"The portable phonemizer did not start (exit code 1: the portable phonemizer cannot run from {folder.Path}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("espeak-ng.wasm", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PhonemizeAsync_ConcurrentCallers_EachGetsItsOwnPhonemes()
    {
        using var runner = PortablePhonemizer.Create();
        var texts = Enumerable.Range(0, 40).Select(i => $"Sentence number {i} is here, and {i * 7} follows.\n").ToList();
        var sequential = new List<string[]>();
        foreach (var text in texts)
        {
            sequential.Add(await runner.PhonemizeAsync("en-us", text, CancellationToken.None));
        }

        var concurrent = await Task.WhenAll(texts.Select(text => Task.Run(() => runner.PhonemizeAsync("en-us", text, CancellationToken.None))));

        Assert.Equal(sequential, concurrent);
        Assert.Equal(40, concurrent.Select(lines => string.Join('|', lines)).Distinct().Count());
    }

    [Fact]
    public async Task PhonemizeAsync_UnknownVoice_FailsAndTheWorkerStaysUsable()
    {
        using var runner = PortablePhonemizer.Create();
        var worker = (await runner.PhonemizeAsync("en-us", "Hi.\n", CancellationToken.None), runner.WorkerProcessId).Item2;

        var error = await Assert.ThrowsAsync<HearsayException>(() => runner.PhonemizeAsync("xx-nowhere", "Hi.\n", CancellationToken.None));
        var after = await runner.PhonemizeAsync("en-us", "Hi.\n", CancellationToken.None);

        Assert.StartsWith("espeak-ng failed for voice 'xx-nowhere': voice not found", error.Message, StringComparison.Ordinal);
        Assert.Equal(["hˈaɪ"], after);
        Assert.Equal(worker, runner.WorkerProcessId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("en us")]
    [InlineData("en-us\nfr")]
    public async Task PhonemizeAsync_VoiceTheProtocolCannotCarry_IsRefusedBeforeTheWorker(string voice)
    {
        using var runner = PortablePhonemizer.Create();

        await Assert.ThrowsAsync<HearsayException>(() => runner.PhonemizeAsync(voice, "Hi.\n", CancellationToken.None));

        Assert.Null(runner.WorkerProcessId);
    }

    [Fact]
    public async Task PhonemizeAsync_CallerCancelsWhileWaiting_OthersAreUnaffected()
    {
        using var runner = PortablePhonemizer.Create();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.PhonemizeAsync("en-us", "Hi.\n", cancelled.Token));
        var lines = await runner.PhonemizeAsync("en-us", "Hi.\n", CancellationToken.None);

        Assert.Equal(["hˈaɪ"], lines);
    }

    [Fact]
    public async Task PhonemizeAsync_CallerCancelsAfterSending_TheAnswerIsReadAndTheWorkerKept()
    {
        using var folder = new TemporaryDirectory();
        var worker = PortablePhonemizer.FakeWorker(folder,
            "echo 'READY fake'; while IFS=' ' read -r voice count; do head -c \"$count\" >/dev/null; sleep 1; printf 'OK 5\\nfake\\n'; done");
        using var runner = PortablePhonemizer.Create(worker);
        await runner.StartAsync(CancellationToken.None);
        var pid = runner.WorkerProcessId;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.PhonemizeAsync("en-us", "First.\n", cancel.Token));
        var second = await runner.PhonemizeAsync("en-us", "Second.\n", CancellationToken.None);

        Assert.Equal(["fake"], second);
        Assert.Equal(pid, runner.WorkerProcessId);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
