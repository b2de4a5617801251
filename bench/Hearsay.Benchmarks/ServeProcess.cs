using System.Diagnostics;
using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Contracts.Sidecar;
using Hearsay.Testing;

namespace Hearsay.Benchmarks;

/// <summary>
/// <c>hearsay serve</c> as a host app runs it: a child process with piped stdin, whose stdout carries the ready line.
/// Its stderr (the logs) is drained so that the server never blocks on a full pipe; the last lines are kept for errors.
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Queue<string> _lastErrors;
    private readonly Task _drain;

    private ServeProcess(Process process, ReadyLine ready, TimeSpan timeToReady, Task drain, Queue<string> lastErrors)
    {
        _process = process;
        Ready = ready;
        TimeToReady = timeToReady;
        _drain = drain;
        _lastErrors = lastErrors;
    }

    public ReadyLine Ready { get; }

    /// <summary>From just before the spawn to the ready line on stdout.</summary>
    public TimeSpan TimeToReady { get; }

    public int Id => _process.Id;

    /// <summary>The CPU time the server has used so far, user and system (<c>/proc/PID/stat</c>).</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>Spawns the CLI's <c>serve</c> with the settings' two models and waits until both are loaded.</summary>
    public static async Task<ServeProcess> StartLoadedAsync(ServeSettings settings, HttpClient http)
    {
        var server = await StartAsync(
            "dotnet", [settings.CliDll, "serve", "--port", "0", "--stt", settings.SttModel, "--tts", settings.Voice], settings.ModelsDirectory);
        try
        {
            await ServeSpawnBenchmark.WaitForHealthyAsync(http, server);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Spawns <paramref name="program"/> with <paramref name="arguments"/> and waits for its ready line;
    /// <paramref name="logLine"/> sees every line the server logs.
    /// </summary>
    public static async Task<ServeProcess> StartAsync(string program, IEnumerable<string> arguments, string modelsDirectory, Action<string>? logLine = null)
    {
        var startInfo = ChildProcessStart.For(program, arguments, redirectInput: true);
        // A store of its own: the benchmark never reads or changes the user's.
        startInfo.Environment["HEARSAY_MODELS_DIR"] = modelsDirectory;

        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{program} did not start.");
        var lastErrors = new Queue<string>();
        var drain = DrainAsync(process.StandardError, lastErrors, logLine);
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (line is null)
            {
                await process.WaitForExitAsync(timeout.Token);
                await drain;
                throw new InvalidOperationException(
                    $"hearsay serve exited ({process.ExitCode}) without a ready line: {string.Join(" | ", lastErrors)}");
            }

            var ready = JsonSerializer.Deserialize(line, HearsayJsonContext.Default.ReadyLine)
                ?? throw new InvalidOperationException($"Not a ready line: {line}");
            return new ServeProcess(process, ready, elapsed, drain, lastErrors);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>The server's resident set (VmRSS in <c>/proc/PID/status</c>), in MiB.</summary>
    public double ResidentMiB() => ProcessStatus.MiB(_process.Id, "VmRSS:");

    /// <summary>The most the server's resident set has been since it started (VmHWM), in MiB: a peak no sampling misses.</summary>
    public double PeakResidentMiB() => ProcessStatus.MiB(_process.Id, "VmHWM:");

    /// <summary>What the server last wrote to stderr, for a report that something went wrong.</summary>
    public string LastErrors()
    {
        lock (_lastErrors)
        {
            return string.Join(Environment.NewLine, _lastErrors);
        }
    }

    /// <summary>Stops the server as a host app does, by closing its stdin; kills it if it has not exited in 10 s.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        await _drain;
        _process.Dispose();
    }

    private static async Task DrainAsync(StreamReader errors, Queue<string> lastErrors, Action<string>? logLine)
    {
        while (await errors.ReadLineAsync() is { } line)
        {
            logLine?.Invoke(line);
            lock (lastErrors)
            {
                lastErrors.Enqueue(line);
                if (lastErrors.Count > 20)
                {
                    lastErrors.Dequeue();
                }
            }
        }
    }
}
