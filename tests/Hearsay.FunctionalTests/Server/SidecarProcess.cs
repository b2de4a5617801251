using System.Diagnostics;
using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Contracts.Sidecar;

namespace Hearsay.FunctionalTests.Server;

/// <summary><c>hearsay serve</c> as a host app runs it: a child process whose stdout carries the ready line.</summary>
internal sealed class SidecarProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private SidecarProcess(Process process, ReadyLine ready, TimeSpan elapsed)
    {
        Process = process;
        Ready = ready;
        TimeToReady = elapsed;
    }

    public Process Process { get; }

    public ReadyLine Ready { get; }

    /// <summary>From spawn to the ready line (the CLI's own start-up included).</summary>
    public TimeSpan TimeToReady { get; }

    /// <summary>Spawns <c>hearsay serve ARGS</c> and reads its ready line.</summary>
    public static async Task<SidecarProcess> StartAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var clock = Stopwatch.StartNew();
        var process = HearsayCli.Start(["serve", .. arguments], environment);
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException($"hearsay serve ended without a ready line: {await process.StandardError.ReadToEndAsync(timeout.Token)}");
            var ready = JsonSerializer.Deserialize(line, HearsayJsonContext.Default.ReadyLine)!;
            return new SidecarProcess(process, ready, clock.Elapsed);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public HttpClient Client(bool withToken = true)
    {
        var client = new HttpClient { BaseAddress = new Uri(Ready.Url), Timeout = TimeSpan.FromSeconds(30) };
        if (withToken)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", Ready.Token);
        }

        return client;
    }

    /// <summary>Waits for the process to exit by itself; returns its exit code and what it wrote to stdout afterwards.</summary>
    public async Task<(int ExitCode, string LaterStdout)> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var rest = Process.StandardOutput.ReadToEndAsync(cancel.Token);
        await Process.WaitForExitAsync(cancel.Token);
        return (Process.ExitCode, await rest);
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        Process.Dispose();
    }
}
