using System.Diagnostics;
using System.Globalization;
using Hearsay.Testing;

namespace Hearsay.Benchmarks.Peers;

/// <summary>One run of a child process: its wall time, its peak resident set, what it printed, and the machine's load around it.</summary>
/// <param name="WallMs">From start to exit.</param>
/// <param name="PeakRssMiB">The last VmHWM read from <c>/proc/PID/status</c> before it exited (polled every 10 ms).</param>
/// <param name="Output">Its standard output.</param>
/// <param name="Errors">Its standard error (where whisper.cpp prints its timings).</param>
/// <param name="LoadBefore">The 1-minute load average (<c>/proc/loadavg</c>) just before the start.</param>
/// <param name="LoadAfter">The same just after the exit.</param>
internal sealed record MeasuredProcess(double WallMs, double PeakRssMiB, string Output, string Errors, double LoadBefore, double LoadAfter)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>Runs <paramref name="program"/> to its end; throws with its stderr when it fails.</summary>
    public static async Task<MeasuredProcess> RunAsync(string program, IEnumerable<string> arguments)
    {
        var startInfo = ChildProcessStart.For(program, arguments);
        var loadBefore = Load();
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        var peakMiB = 0.0;
        using var timeout = new CancellationTokenSource(Timeout);
        var exited = process.WaitForExitAsync(timeout.Token);
        while (!exited.IsCompleted)
        {
            peakMiB = Math.Max(peakMiB, PeakResidentMiB(process.Id));
            await Task.WhenAny(exited, Task.Delay(10));
        }

        await exited;
        var wallMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var loadAfter = Load();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', startInfo.ArgumentList)} exited with {process.ExitCode}: {await errors}");
        }

        return new MeasuredProcess(wallMs, peakMiB, await output, await errors, loadBefore, loadAfter);
    }

    /// <summary>The 1-minute load average.</summary>
    public static double Load() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>VmHWM in MiB, or 0 once the process is gone or a zombie (its last reading stands).</summary>
    private static double PeakResidentMiB(int processId)
    {
        try
        {
            return ProcessStatus.MiB(processId, "VmHWM:");
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            return 0;
        }
    }
}
