using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Contracts.Sidecar;
using Hearsay.Server.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;

namespace Hearsay.Server.Sidecar;

/// <summary>
/// Prints the sidecar's one ready line once Kestrel listens: <c>{"event":"ready","url":…,"token":…}</c>. Host apps read
/// stdout for exactly this line, so nothing else is ever written there.
/// </summary>
internal sealed class ReadyAnnouncer(IServer server, IHostApplicationLifetime lifetime, ServerToken token, SidecarStreams streams) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Announce);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Announce()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.First()
            ?? throw new InvalidOperationException("Kestrel started without an address.");
        var line = JsonSerializer.Serialize(new ReadyLine("ready", address, token.Value), HearsayJsonContext.Web.ReadyLine);
        streams.ReadyOutput.WriteLine(line);
        streams.ReadyOutput.Flush();
    }
}
