namespace Hearsay.FunctionalTests.Server;

/// <summary>
/// One server with the test voice and the tiny Whisper model installed, shared by a test class whose tests need no
/// configuration of their own.
/// </summary>
public class InstalledServer : IAsyncLifetime
{
    private ServerUnderTest? _server;

    internal ServerUnderTest Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync() => _server = await ServerUnderTest.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
