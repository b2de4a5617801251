using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Server.Realtime;

/// <summary>
/// One server for the Realtime tests: the tiny Whisper model installed, sampling seeded (random-weight models fall back
/// to sampling, and a transcript is compared with the file endpoint's), and its logs captured.
/// </summary>
public sealed class RealtimeServer : IAsyncLifetime
{
    private ServerUnderTest? _server;

    internal ServerUnderTest Server => _server ?? throw new InvalidOperationException("The server has not started.");

    internal CapturingLoggerFactory Logs { get; } = new();

    public async Task InitializeAsync() =>
        _server = await ServerUnderTest.StartAsync(configure: options => options with { SamplingSeed = 17 }, logs: Logs);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Logs.Dispose();
    }
}
