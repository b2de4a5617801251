using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearsay.Server.Sidecar;

/// <summary>Stops the server when standard input reaches its end: the host app closed the pipe, or died.</summary>
internal sealed partial class StdinWatcher(SidecarStreams streams, IHostApplicationLifetime lifetime, ILogger<StdinWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (streams.Input is not { } input)
        {
            return;
        }

        var buffer = new byte[256];
        try
        {
            // Whatever the host writes is ignored; only the end of the stream matters. A console read ignores
            // cancellation, so the wait is abandoned instead: a stopping server must not hang on it.
            while (await input.ReadAsync(buffer, CancellationToken.None).AsTask().WaitAsync(stoppingToken) > 0)
            {
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (IOException)
        {
            // A broken pipe ends standard input as surely as a close.
        }

        LogStdinClosed(logger);
        lifetime.StopApplication();
    }

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "Standard input closed; stopping")]
    private static partial void LogStdinClosed(ILogger logger);
}
