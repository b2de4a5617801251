using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hearsay.Contracts;
using Hearsay.Core.ExternalPrograms;
using Hearsay.Core.Models.Catalog;
using Hearsay.Core.Models.Download;
using Hearsay.Core.Models.Store;
using Hearsay.Server.Capabilities;
using Hearsay.Server.Downloads;
using Hearsay.Server.Endpoints;
using Hearsay.Server.Endpoints.Realtime;
using Hearsay.Server.Errors;
using Hearsay.Server.OpenApi;
using Hearsay.Server.Security;
using Hearsay.Server.Sidecar;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hearsay.Server;

/// <summary>Builds the sidecar: Kestrel on loopback, the OpenAI-compatible API, capability states, and the sidecar contract.</summary>
public static class HearsayServer
{
    /// <summary>
    /// Builds the server. Nothing listens until the returned application is run; the ready line is printed to
    /// <see cref="SidecarStreams.ReadyOutput"/> once it does. Models load in the background after start.
    /// </summary>
    /// <param name="options">The configuration; validated here.</param>
    /// <param name="streams">The ready line's writer and the standard input to watch.</param>
    /// <param name="configureLogging">Where logs go (the CLI sends them to stderr).</param>
    /// <param name="cancellationToken">Stops loading the catalog.</param>
    /// <exception cref="ArgumentException">An option is invalid, or <c>--stt</c>/<c>--tts</c> names nothing; the message names it.</exception>
    public static Task<WebApplication> BuildAsync(
        HearsayServerOptions options, SidecarStreams streams, Action<ILoggingBuilder>? configureLogging = null, CancellationToken cancellationToken = default) =>
        BuildAsync(options, streams, configureLogging, configureServices: null, cancellationToken);

    /// <summary>Builds the server as the public overload does, then lets <paramref name="configureServices"/> replace registrations (fake engine loaders in tests).</summary>
    internal static async Task<WebApplication> BuildAsync(
        HearsayServerOptions options,
        SidecarStreams streams,
        Action<ILoggingBuilder>? configureLogging,
        Action<IServiceCollection>? configureServices,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(streams);
        options.Validate();
        var address = ListenAddress(options.Host);
        if (options.ParentPid is { } parent && ParentProcessWatcher.StartTimeOf(parent) is null)
        {
            throw new ArgumentException($"--parent-pid {parent}: there is no such process.");
        }

        var catalog = await ModelCatalog.LoadAsync(options.CatalogLocation, cancellationToken: cancellationToken).ConfigureAwait(false);
        var store = ModelStore.Open(options.ModelsDirectory);
        ConfiguredModel.Check("--stt", options.SttModel, catalog, store);
        ConfiguredModel.Check("--tts", options.TtsVoice, catalog, store);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        configureLogging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            kestrel.Listen(address, options.Port);
        });

        var services = builder.Services;
        services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = options.MaxRequestBytes);
        services.AddSingleton(options);
        services.AddSingleton(streams);
        services.AddSingleton(new ServerToken(options.Token));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(catalog);
        services.AddSingleton(store);
        // The one owner of where espeak-ng and ffmpeg are: found now, looked for again when needed.
        services.AddSingleton(new ExternalTools(options.EspeakNgPath, options.FfmpegPath, phonemizer: options.Phonemizer));
        services.AddSingleton(_ => ModelDownloader.CreateHttpClient());
        services.AddSingleton(provider => new ModelDownloader(
            store,
            provider.GetRequiredService<HttpClient>(),
            new ModelDownloadOptions { ProgressInterval = TimeSpan.FromMilliseconds(250) },
            loggerFactory: provider.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<ModelDownloads>();
        services.AddServedEngines();
        services.AddSingleton<SharedVadModel>();
        services.AddSingleton<RealtimeDecodePriority>();
        services.AddHostedService<ReadyAnnouncer>();
        services.AddHostedService<ParentProcessWatcher>();
        services.AddHostedService<StdinWatcher>();
        services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins([.. options.CorsOrigins])
            .WithMethods("GET", "POST", "DELETE")
            .WithHeaders("Authorization", "Content-Type")
            .WithExposedHeaders("Retry-After", "X-Sample-Rate")));
        // The OpenAPI document describes bodies with these settings: the same snake_case the wire uses.
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, HearsayJsonContext.Default);
            json.SerializerOptions.TypeInfoResolverChain.Insert(1, OpenApiJsonContext.Default);
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.AddOpenApi(openApi => openApi
            .AddSchemaTransformer(RequiredMeansAlwaysWritten.TransformAsync)
            .AddSchemaTransformer(DownloadCodesAsEnums.TransformAsync));
        configureServices?.Invoke(services);

        var app = builder.Build();
        app.UseMiddleware<ErrorResponses>();
        app.UseMiddleware<LoopbackHostFilter>();
        if (options.CorsOrigins.Count > 0)
        {
            app.UseCors();
        }

        app.UseMiddleware<BearerTokenCheck>();
        app.UseMiddleware<RequestSizeCheck>();
        // After the token check, so an upgrade without the token is refused with a 401 before any socket exists.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.MapOpenApi();
        HealthEndpoints.Map(app);
        PageEndpoints.Map(app);
        var v1 = app.MapGroup(HearsayRoutes.Api);
        StatusEndpoints.Map(v1);
        ModelEndpoints.Map(v1);
        CatalogEndpoints.Map(v1);
        SpeechEndpoints.Map(v1);
        TranscriptionEndpoints.Map(v1);
        RealtimeEndpoints.Map(v1);
        app.Lifetime.ApplicationStarted.Register(() => app.Services.StartServedEngines());
        return app;
    }

    /// <summary>The IP address for <c>--host</c>; <c>localhost</c> means 127.0.0.1, since a port picked for one name could differ per address.</summary>
    private static IPAddress ListenAddress(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        return IPAddress.TryParse(host, out var address) && address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
            ? address
            : throw new ArgumentException($"--host {host} is not an IP address (use 127.0.0.1, ::1 or, for a server, 0.0.0.0).");
    }
}
