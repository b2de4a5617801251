using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearsay.Server.Sidecar;

/// <summary>Stops the server when the host app's process (<c>--parent-pid</c>) is gone, so a crashed app leaves no orphan.</summary>
internal sealed partial class ParentProcessWatcher(
    HearsayServerOptions options, IHostApplicationLifetime lifetime, ILogger<ParentProcessWatcher> logger, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>The parent's start time, so a new process that reuses its id is not mistaken for it.</summary>
    public static DateTime? StartTimeOf(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : process.StartTime;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.ParentPid is not { } pid)
        {
            return;
        }

        var started = StartTimeOf(pid);
        using var timer = new PeriodicTimer(Interval, time);
        while (started is not null && StartTimeOf(pid) == started)
        {
            if (!await timer.WaitForNextTickAsync(stoppingToken))
            {
                return;
            }
        }

        LogParentExited(logger, pid);
        lifetime.StopApplication();
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Parent process {Pid} exited; stopping")]
    private static partial void LogParentExited(ILogger logger, int pid);
}
