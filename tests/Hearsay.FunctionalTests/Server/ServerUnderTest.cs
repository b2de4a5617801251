using System.Net.Http.Headers;
using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Contracts.Sidecar;
using Hearsay.Contracts.Status;
using Hearsay.Core.Models.Catalog;
using Hearsay.Core.Models.Download;
using Hearsay.Core.Models.Store;
using Hearsay.Server;
using Hearsay.Server.Sidecar;
using Hearsay.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hearsay.FunctionalTests.Server;

/// <summary>
/// The real server on Kestrel at 127.0.0.1:0, in this process, serving the repo's tiny Whisper model and voice from a
/// fresh store into which they were installed through the real downloader from a <see cref="ModelRegistry"/>.
/// </summary>
internal sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServerUnderTest(ModelRegistry registry, WebApplication app, ReadyLine ready, HearsayServerOptions options)
    {
        Registry = registry;
        _app = app;
        Ready = ready;
        Options = options;
        BaseUrl = new Uri(ready.Url);
        Http = Client(ready.Token);
    }

    public ModelRegistry Registry { get; }

    public HearsayServerOptions Options { get; }

    /// <summary>What the server printed as its ready line.</summary>
    public ReadyLine Ready { get; }

    public Uri BaseUrl { get; }

    /// <summary>A client that sends the server's token.</summary>
    public HttpClient Http { get; }

    /// <summary>
    /// Starts a server. With <paramref name="install"/>, the test voice and Whisper model are pulled into the store
    /// first and the server is waited for until both are ready. <paramref name="services"/> replaces the server's own
    /// registrations (fake engine loaders); <paramref name="logs"/> receives its logs.
    /// </summary>
    public static async Task<ServerUnderTest> StartAsync(
        bool install = true,
        Func<HearsayServerOptions, HearsayServerOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        ILoggerProvider? logs = null)
    {
        var registry = await ModelRegistry.StartAsync();
        try
        {
            if (install)
            {
                await InstallAsync(registry, ModelRegistry.Voice, ModelRegistry.Whisper);
            }

            var options = new HearsayServerOptions
            {
                ModelsDirectory = registry.StoreRoot,
                CatalogLocation = registry.CatalogPath,
                SttModel = ModelRegistry.Whisper,
                TtsVoice = ModelRegistry.Voice,
            };
            options = configure?.Invoke(options) ?? options;
            var readyOutput = new StringWriter();
            var app = await HearsayServer.BuildAsync(
                options, new SidecarStreams(readyOutput, Input: null), logging => Capture(logging, logs), services, CancellationToken.None);
            await app.StartAsync();
            var ready = JsonSerializer.Deserialize(readyOutput.ToString(), HearsayJsonContext.Default.ReadyLine)!;
            var server = new ServerUnderTest(registry, app, ready, options);
            if (install)
            {
                await server.WaitForStatusAsync(status => status.Stt.State == CapabilityState.Ready && status.Tts.State == CapabilityState.Ready, "both capabilities to be ready");
            }

            return server;
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
    }

    private static void Capture(ILoggingBuilder logging, ILoggerProvider? logs)
    {
        if (logs is not null)
        {
            logging.AddProvider(logs);
        }
    }

    /// <summary>Installs registry models into its store with the real downloader.</summary>
    public static async Task InstallAsync(ModelRegistry registry, params string[] ids)
    {
        var catalog = await ModelCatalog.LoadAsync(registry.CatalogPath, mirror: "");
        using var http = new HttpClient();
        var downloader = new ModelDownloader(new ModelStore(registry.StoreRoot), http);
        foreach (var id in ids)
        {
            await downloader.InstallAsync(catalog.Get(id));
        }
    }

    /// <summary>A client for this server with <paramref name="token"/> as its bearer token (null: none).</summary>
    public HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async Task<HearsayStatus> StatusAsync()
    {
        var json = await Http.GetStringAsync(HearsayRoutes.Status);
        return JsonSerializer.Deserialize(json, HearsayJsonContext.Default.HearsayStatus)!;
    }

    /// <summary>Polls <c>/v1/status</c> until <paramref name="condition"/> holds (30 s at most).</summary>
    public async Task<HearsayStatus> WaitForStatusAsync(Func<HearsayStatus, bool> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var status = await StatusAsync();
            if (condition(status))
            {
                return status;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited 30 s for {what}; the status is {JsonSerializer.Serialize(status, HearsayJsonContext.Default.HearsayStatus)}.");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Registry.DisposeAsync();
    }
}
