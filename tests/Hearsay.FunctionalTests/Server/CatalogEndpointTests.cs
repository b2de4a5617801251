using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Hearsay.Contracts;
using Hearsay.Contracts.Catalog;
using Hearsay.Contracts.Errors;
using Hearsay.Contracts.Status;
using Hearsay.Core;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Server;

/// <summary><c>/v1/catalog/models…</c> on the real server: states, downloads with their events, cancel and resume, removal, verification.</summary>
public class CatalogEndpointTests
{
    private const string VoiceFile = "tiny-single.onnx";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task List_WithoutModels_ShowsTheTestModelsNotInstalledAndTheBuiltInCatalog()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);

        var list = await ReadAsync(await server.Http.GetAsync(HearsayRoutes.Catalog), HearsayJsonContext.Default.CatalogList);

        Assert.Equal(Path.GetFullPath(server.Registry.StoreRoot), list.StorePath);
        var voice = Assert.Single(list.Models, model => model.Id == ModelRegistry.Voice);
        Assert.Equal(("tts", "piper", CatalogEntry.NotInstalled, "MIT"), (voice.Kind, voice.Engine, voice.State, voice.License));
        Assert.Equal(ModelRegistry.VoiceBytes, voice.SizeBytes);
        Assert.Null(voice.Download);
        Assert.Equal(CatalogEntry.NotInstalled, list.Models.Single(model => model.Id == ModelRegistry.Whisper).State);
        Assert.Equal(CatalogEntry.NotInstalled, list.Models.Single(model => model.Id == "whisper-tiny.en").State);
        var vad = list.Models.Single(model => model.Id == "silero-vad");
        Assert.Equal(("vad", CatalogEntry.BuiltIn), (vad.Kind, vad.State));
        var raw = await server.Http.GetStringAsync(HearsayRoutes.Catalog);
        Assert.Contains("\"store_path\":", raw, StringComparison.Ordinal);
        Assert.Contains("\"size_bytes\":", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_WithFilters_KeepsOnlyThatKindOrInstalledState()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        await ServerUnderTest.InstallAsync(server.Registry, ModelRegistry.Voice);

        var tts = await ReadAsync(await server.Http.GetAsync(HearsayRoutes.Catalog + "?kind=tts"), HearsayJsonContext.Default.CatalogList);
        var installed = await ReadAsync(await server.Http.GetAsync(HearsayRoutes.Catalog + "?installed=true"), HearsayJsonContext.Default.CatalogList);
        var missing = await ReadAsync(await server.Http.GetAsync(HearsayRoutes.Catalog + "?kind=stt&installed=false"), HearsayJsonContext.Default.CatalogList);

        Assert.All(tts.Models, model => Assert.Equal("tts", model.Kind));
        Assert.Contains(tts.Models, model => model.Id == ModelRegistry.Voice);
        Assert.True(tts.Models.Count > 1);
        Assert.Equal(
            ["silero-vad", ModelRegistry.Voice],
            installed.Models.Select(model => model.Id).Order(StringComparer.Ordinal));
        Assert.Equal(CatalogEntry.Installed, installed.Models.Single(model => model.Id == ModelRegistry.Voice).State);
        Assert.All(missing.Models, model => Assert.Equal(("stt", CatalogEntry.NotInstalled), (model.Kind, model.State)));
        Assert.Contains(missing.Models, model => model.Id == ModelRegistry.Whisper);
        await AssertErrorAsync(await server.Http.GetAsync(HearsayRoutes.Catalog + "?kind=video"), HttpStatusCode.BadRequest, ErrorCodes.InvalidValue, "kind");
        await AssertErrorAsync(await server.Http.GetAsync(HearsayRoutes.Catalog + "?installed=maybe"), HttpStatusCode.BadRequest, ErrorCodes.InvalidValue, "installed");
    }

    [Fact]
    public async Task Requests_WithMalformedUnknownOrBuiltInIds_AreRefused()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        var http = server.Http;

        foreach (var id in new[] { "../secret", "/etc/passwd", "C:\\models\\x", ".hidden", ModelRegistry.Voice + "\n", "NUL", "com1.onnx" })
        {
            await AssertErrorAsync(await http.GetAsync(HearsayRoutes.CatalogModel(id)), HttpStatusCode.BadRequest, ErrorCodes.InvalidValue, "id");
            await AssertErrorAsync(await http.PostAsync(HearsayRoutes.CatalogDownload(id), null), HttpStatusCode.BadRequest, ErrorCodes.InvalidValue, "id");
            await AssertErrorAsync(await http.DeleteAsync(HearsayRoutes.CatalogDownload(id)), HttpStatusCode.BadRequest, ErrorCodes.InvalidValue, "id");
            await AssertErrorAsync(await http.DeleteAsync(HearsayRoutes.CatalogModel(id)), HttpStatusCode.BadRequest, ErrorCodes.InvalidValue, "id");
            await AssertErrorAsync(await http.PostAsync(HearsayRoutes.CatalogVerify(id), null), HttpStatusCode.BadRequest, ErrorCodes.InvalidValue, "id");
        }

        const string Unknown = "no-such-model";
        await AssertErrorAsync(await http.GetAsync(HearsayRoutes.CatalogModel(Unknown)), HttpStatusCode.NotFound, ErrorCodes.ModelNotFound, "id");
        await AssertErrorAsync(await http.PostAsync(HearsayRoutes.CatalogDownload(Unknown), null), HttpStatusCode.NotFound, ErrorCodes.ModelNotFound, "id");
        await AssertErrorAsync(await http.DeleteAsync(HearsayRoutes.CatalogDownload(Unknown)), HttpStatusCode.NotFound, ErrorCodes.DownloadNotFound, "id");
        await AssertErrorAsync(await http.DeleteAsync(HearsayRoutes.CatalogModel(Unknown)), HttpStatusCode.NotFound, ErrorCodes.ModelNotFound, "id");
        await AssertErrorAsync(await http.PostAsync(HearsayRoutes.CatalogVerify(ModelRegistry.Whisper), null), HttpStatusCode.NotFound, ErrorCodes.ModelNotFound, "id");
        await AssertErrorAsync(await http.PostAsync(HearsayRoutes.CatalogDownload("silero-vad"), null), HttpStatusCode.BadRequest, ErrorCodes.InvalidValue, "id");
        await AssertErrorAsync(await http.DeleteAsync(HearsayRoutes.CatalogModel("silero-vad")), HttpStatusCode.BadRequest, ErrorCodes.InvalidValue, "id");
        await AssertErrorAsync(await http.PostAsync(HearsayRoutes.CatalogDownload(ModelRegistry.Voice) + "?replace=yes", null), HttpStatusCode.BadRequest, ErrorCodes.InvalidValue, "replace");
        var openApi = await http.GetStringAsync(HearsayRoutes.OpenApi);
        Assert.Contains("/v1/catalog/models/{id}/download", openApi, StringComparison.Ordinal);
        Assert.Contains("/v1/catalog/models/{id}/verify", openApi, StringComparison.Ordinal);
        var progressSchema = JsonDocument.Parse(openApi).RootElement.GetProperty("components").GetProperty("schemas").GetProperty(nameof(DownloadProgress)).GetProperty("properties");
        Assert.True(progressSchema.TryGetProperty("failure", out _) && progressSchema.TryGetProperty("reason", out _), progressSchema.ToString());
    }

    [Fact]
    public async Task Remove_ManyIdsNotInTheStore_CreatesNoFile()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        Directory.CreateDirectory(server.Registry.StoreRoot);

        for (var i = 0; i < 50; i++)
        {
            await AssertErrorAsync(await server.Http.DeleteAsync(HearsayRoutes.CatalogModel($"made-up-{i}")), HttpStatusCode.NotFound, ErrorCodes.ModelNotFound, "id");
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(server.Registry.StoreRoot, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Download_BeforeItsFirstByte_TheCapabilitySaysDownloading()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        // A slow mirror: the answer starts, then nothing comes for a while.
        server.Registry.Server.Stall(ModelRegistry.PathOf(ModelRegistry.Voice, VoiceFile), 0, TimeSpan.FromSeconds(20));
        Assert.Equal(CapabilityState.NotInstalled, (await server.StatusAsync()).Tts.State);

        using var response = await server.Http.PostAsync(HearsayRoutes.CatalogDownload(ModelRegistry.Voice), null);
        var status = await server.StatusAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(CapabilityState.Downloading, status.Tts.State);
        Assert.Equal((ModelRegistry.Voice, 0L), (status.Tts.Download?.Model, status.Tts.Download?.BytesDone));
        Assert.Equal(ModelRegistry.Voice, Assert.Single(status.Downloads).Model);
        Assert.Equal(HttpStatusCode.Accepted, (await server.Http.DeleteAsync(HearsayRoutes.CatalogDownload(ModelRegistry.Voice))).StatusCode);
    }

    [Fact]
    public async Task Download_WhileTheRegistryAnswersErrors_SaysEachRetryInWordsWithTheDetailApart()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        var path = ModelRegistry.PathOf(ModelRegistry.Voice, VoiceFile);
        server.Registry.Server.FailWith(path, 503, times: 100);

        Assert.Equal(HttpStatusCode.Accepted, (await server.Http.PostAsync(HearsayRoutes.CatalogDownload(ModelRegistry.Voice), null)).StatusCode);
        var status = await server.WaitForStatusAsync(s => s.Tts.Download?.Phase == DownloadProgress.Retrying, "the first retry");

        Assert.Equal(CapabilityState.Downloading, status.Tts.State);
        var retrying = status.Tts.Download!;
        Assert.Equal(DownloadFailureCodes.ServerError, retrying.Failure);
        Assert.Equal("Attempt 1 of 6 failed (the download server had a problem); trying again in 1 s.", retrying.Reason);
        Assert.Contains("HTTP 503", retrying.Error, StringComparison.Ordinal);
        Assert.Contains(server.Registry.Server.Url(path).AbsoluteUri, retrying.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, (await server.Http.DeleteAsync(HearsayRoutes.CatalogDownload(ModelRegistry.Voice))).StatusCode);
    }

    [Fact]
    public async Task Download_OfTheServedVoice_StreamsProgressAndTheCapabilityBecomesReady()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        // About a second and a half: long enough for several progress reports (one every 250 ms).
        server.Registry.Server.Throttle(ModelRegistry.PathOf(ModelRegistry.Voice, VoiceFile), 80_000);
        await using var events = await StatusEvents.OpenAsync(server);
        await events.WaitForTtsAsync(CapabilityState.NotInstalled);

        using var response = await server.Http.PostAsync(HearsayRoutes.CatalogDownload(ModelRegistry.Voice), null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(HearsayRoutes.CatalogModel(ModelRegistry.Voice), response.Headers.Location?.OriginalString);
        var started = await ReadAsync(response, HearsayJsonContext.Default.DownloadProgress, HttpStatusCode.Accepted);
        Assert.Equal((ModelRegistry.Voice, DownloadProgress.Downloading), (started.Model, started.Phase));
        await events.WaitForTtsAsync(CapabilityState.NotInstalled, CapabilityState.Downloading, CapabilityState.Loading, CapabilityState.Ready);
        var bytes = events.Seen.Where(status => status.Tts.State == CapabilityState.Downloading).Select(status => status.Tts.Download!.BytesDone).ToList();
        Assert.True(bytes.Distinct().Count() >= 2, "bytes_done never grew: " + string.Join(", ", bytes));
        Assert.Equal(bytes.Order(), bytes);
        Assert.Contains(events.Seen, status => status.Downloads.Any(download => download.Model == ModelRegistry.Voice && download.TotalBytes == started.TotalBytes));
        var entry = await ReadAsync(await server.Http.GetAsync(HearsayRoutes.CatalogModel(ModelRegistry.Voice)), HearsayJsonContext.Default.CatalogEntry);
        Assert.Equal(CatalogEntry.Installed, entry.State);
        Assert.Null(entry.Download);
        Assert.Empty((await server.StatusAsync()).Downloads);
        // The same name the CLI's downloads give, so hosts and mirrors can tell Hearsay's requests apart.
        Assert.All(server.Registry.Server.RequestLog, request => Assert.Equal($"Hearsay/{HearsayVersion.Release}", request.UserAgent));
    }

    [Fact]
    public async Task CancelDownload_WhileThrottled_KeepsAPartialThatTheNextDownloadResumes()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        var path = ModelRegistry.PathOf(ModelRegistry.Voice, VoiceFile);
        server.Registry.Server.Throttle(path, 20_000);
        Assert.Equal(HttpStatusCode.Accepted, (await server.Http.PostAsync(HearsayRoutes.CatalogDownload(ModelRegistry.Voice), null)).StatusCode);
        await server.WaitForStatusAsync(status => status.Tts.Download?.BytesDone > 0, "some bytes to arrive");

        var entry = await ReadAsync(await server.Http.GetAsync(HearsayRoutes.CatalogModel(ModelRegistry.Voice)), HearsayJsonContext.Default.CatalogEntry);
        var joined = await server.Http.PostAsync(HearsayRoutes.CatalogDownload(ModelRegistry.Voice), null);
        var removing = await server.Http.DeleteAsync(HearsayRoutes.CatalogModel(ModelRegistry.Voice));
        var verifying = await server.Http.PostAsync(HearsayRoutes.CatalogVerify(ModelRegistry.Voice), null);
        var cancelled = await server.Http.DeleteAsync(HearsayRoutes.CatalogDownload(ModelRegistry.Voice));

        Assert.Equal(CatalogEntry.Downloading, entry.State);
        Assert.Equal(ModelRegistry.Voice, entry.Download?.Model);
        Assert.Equal(HttpStatusCode.Accepted, joined.StatusCode);
        await AssertErrorAsync(removing, HttpStatusCode.Conflict, ErrorCodes.Conflict, "id");
        await AssertErrorAsync(verifying, HttpStatusCode.Conflict, ErrorCodes.Conflict, "id");
        Assert.Equal(DownloadProgress.Cancelled, (await ReadAsync(cancelled, HearsayJsonContext.Default.DownloadProgress, HttpStatusCode.Accepted)).Phase);
        await server.WaitForStatusAsync(status => status.Downloads.Count == 0 && status.Tts.State == CapabilityState.NotInstalled, "the download to stop");
        var partial = await ReadAsync(await server.Http.GetAsync(HearsayRoutes.CatalogModel(ModelRegistry.Voice)), HearsayJsonContext.Default.CatalogEntry);
        Assert.Equal(CatalogEntry.Partial, partial.State);
        Assert.Equal(1, server.Registry.Server.GetRequestCount(path));
        await AssertErrorAsync(await server.Http.DeleteAsync(HearsayRoutes.CatalogDownload(ModelRegistry.Voice)), HttpStatusCode.NotFound, ErrorCodes.DownloadNotFound, "id");

        server.Registry.Server.ClearFaults(path);
        var kept = new FileInfo(Path.Combine(server.Registry.StoreRoot, ModelRegistry.Voice, VoiceFile + ".partial")).Length;
        var resumed = await ReadAsync(
            await server.Http.PostAsync(HearsayRoutes.CatalogDownload(ModelRegistry.Voice), null), HearsayJsonContext.Default.DownloadProgress, HttpStatusCode.Accepted);
        Assert.True(kept > 0);
        Assert.Equal(kept, resumed.BytesDone);
        await server.WaitForStatusAsync(status => status.Tts.State == CapabilityState.Ready, "tts ready");

        var ranges = server.Registry.Server.RangeHeaders(path);
        Assert.Equal(2, ranges.Count);
        Assert.Null(ranges[0]);
        Assert.Matches("^bytes=[1-9][0-9]*-$", ranges[1]);
        Assert.Equal(CatalogEntry.Installed, (await ReadAsync(await server.Http.GetAsync(HearsayRoutes.CatalogModel(ModelRegistry.Voice)), HearsayJsonContext.Default.CatalogEntry)).State);
    }

    [Fact]
    public async Task Download_ThatFails_SaysWhyUntilARetrySucceeds()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        server.Registry.Server.FailWith(ModelRegistry.PathOf(ModelRegistry.Voice, VoiceFile), 404);

        Assert.Equal(HttpStatusCode.Accepted, (await server.Http.PostAsync(HearsayRoutes.CatalogDownload(ModelRegistry.Voice), null)).StatusCode);
        var failed = await server.WaitForStatusAsync(status => status.Tts.State == CapabilityState.Error, "tts error");
        var entry = await ReadAsync(await server.Http.GetAsync(HearsayRoutes.CatalogModel(ModelRegistry.Voice)), HearsayJsonContext.Default.CatalogEntry);

        // Words for people in the reason; the URL and the HTTP status only in the download's error.
        Assert.StartsWith($"The download of {ModelRegistry.Voice} did not finish. The download server does not have this model's files", failed.Tts.Reason, StringComparison.Ordinal);
        Assert.DoesNotMatch("https?:|HTTP|/v1/|POST", failed.Tts.Reason!);
        Assert.Equal(DownloadProgress.Failed, failed.Tts.Download?.Phase);
        Assert.Contains("HTTP 404", failed.Tts.Download?.Error, StringComparison.Ordinal);
        Assert.Equal(CatalogEntry.NotInstalled, entry.State);
        Assert.Equal(DownloadProgress.Failed, entry.Download?.Phase);
        Assert.Equal(DownloadFailureCodes.NotFound, entry.Download?.Failure);
        Assert.Equal(failed.Tts.Download?.Reason, entry.Download?.Reason);
        Assert.Contains("HTTP 404", entry.Download?.Error, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Accepted, (await server.Http.PostAsync(HearsayRoutes.CatalogDownload(ModelRegistry.Voice), null)).StatusCode);
        await server.WaitForStatusAsync(status => status.Tts.State == CapabilityState.Ready, "tts ready after the retry");
        var retried = await ReadAsync(await server.Http.GetAsync(HearsayRoutes.CatalogModel(ModelRegistry.Voice)), HearsayJsonContext.Default.CatalogEntry);
        Assert.Equal(CatalogEntry.Installed, retried.State);
        Assert.Null(retried.Download);
    }

    [Fact]
    public async Task Remove_WhileTheVoiceIsServed_DeletesItAndTtsBecomesNotInstalled()
    {
        await using var server = await ServerUnderTest.StartAsync();

        var again = await server.Http.PostAsync(HearsayRoutes.CatalogDownload(ModelRegistry.Voice), null);
        var removed = await server.Http.DeleteAsync(HearsayRoutes.CatalogModel(ModelRegistry.Voice));
        var status = await server.StatusAsync();

        Assert.Equal(CatalogEntry.Installed, (await ReadAsync(again, HearsayJsonContext.Default.CatalogEntry)).State);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(CapabilityState.NotInstalled, status.Tts.State);
        Assert.Equal(CapabilityState.Ready, status.Stt.State);
        Assert.False(Directory.Exists(Path.Combine(server.Registry.StoreRoot, ModelRegistry.Voice)));
        var entry = await ReadAsync(await server.Http.GetAsync(HearsayRoutes.CatalogModel(ModelRegistry.Voice)), HearsayJsonContext.Default.CatalogEntry);
        Assert.Equal(CatalogEntry.NotInstalled, entry.State);
        await AssertErrorAsync(await server.Http.DeleteAsync(HearsayRoutes.CatalogModel(ModelRegistry.Voice)), HttpStatusCode.NotFound, ErrorCodes.ModelNotFound, "id");
    }

    [Fact]
    public async Task Download_WithReplace_InstallsTheCatalogsVersionAndReloadsTheVoice()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        // Another process installs the voice as a newer catalog describes it; this server's catalog still lists the old files.
        await server.Registry.UpdateVoiceAsync();
        await ServerUnderTest.InstallAsync(server.Registry, ModelRegistry.Voice);

        var kept = await ReadAsync(await server.Http.PostAsync(HearsayRoutes.CatalogDownload(ModelRegistry.Voice), null), HearsayJsonContext.Default.CatalogEntry);
        Assert.Equal(CatalogEntry.UpdateAvailable, kept.State);
        await server.WaitForStatusAsync(status => status.Tts.State == CapabilityState.Ready, "tts to load the installed voice");
        await using var events = await StatusEvents.OpenAsync(server);
        await events.WaitForTtsAsync(CapabilityState.Ready);

        var replacing = await server.Http.PostAsync(HearsayRoutes.CatalogDownload(ModelRegistry.Voice) + "?replace=true", null);

        Assert.Equal(HttpStatusCode.Accepted, replacing.StatusCode);
        // It serves the old voice while the new one downloads, then loads the new one.
        await events.WaitForTtsAsync(CapabilityState.Ready, CapabilityState.Loading, CapabilityState.Ready);
        Assert.DoesNotContain(events.Seen, status => status.Tts.State is CapabilityState.Downloading or CapabilityState.NotInstalled);
        var entry = await ReadAsync(await server.Http.GetAsync(HearsayRoutes.CatalogModel(ModelRegistry.Voice)), HearsayJsonContext.Default.CatalogEntry);
        Assert.Equal(CatalogEntry.Installed, entry.State);
        var folder = Path.Combine(server.Registry.StoreRoot, ModelRegistry.Voice);
        Assert.True(File.Exists(Path.Combine(folder, VoiceFile)));
        Assert.False(File.Exists(Path.Combine(folder, "tiny-multi.onnx")));
    }

    [Fact]
    public async Task Verify_AfterAFileIsTampered_ReportsThatFile()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        await ServerUnderTest.InstallAsync(server.Registry, ModelRegistry.Voice);

        var intact = await ReadAsync(await server.Http.PostAsync(HearsayRoutes.CatalogVerify(ModelRegistry.Voice), null), HearsayJsonContext.Default.VerifyResult);
        var config = Path.Combine(server.Registry.StoreRoot, ModelRegistry.Voice, VoiceFile + ".json");
        var bytes = await File.ReadAllBytesAsync(config);
        bytes[10] ^= 0xFF;
        await File.WriteAllBytesAsync(config, bytes);
        var damaged = await ReadAsync(await server.Http.PostAsync(HearsayRoutes.CatalogVerify(ModelRegistry.Voice), null), HearsayJsonContext.Default.VerifyResult);

        Assert.Equal((ModelRegistry.Voice, true), (intact.Id, intact.Ok));
        Assert.Empty(intact.Problems);
        Assert.Equal(ModelRegistry.Voice, damaged.Id);
        Assert.False(damaged.Ok);
        var problem = Assert.Single(damaged.Problems);
        Assert.StartsWith(VoiceFile + ".json: ", problem, StringComparison.Ordinal);
        Assert.Contains("SHA256", problem, StringComparison.Ordinal);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize(body, type)!;
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? param)
    {
        var error = (await ReadAsync(response, HearsayJsonContext.Default.ErrorResponse, status)).Error;
        Assert.Equal((code, param), (error.Code, error.Param));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    /// <summary><c>/v1/status/events</c> read in the background, every <c>status</c> event kept in order.</summary>
    private sealed class StatusEvents : IAsyncDisposable
    {
        private readonly Lock _gate = new();
        private readonly List<HearsayStatus> _seen = [];
        private readonly CancellationTokenSource _stop = new();
        private readonly HttpClient _client;
        private Task _reading = Task.CompletedTask;

        private StatusEvents(HttpClient client) => _client = client;

        public IReadOnlyList<HearsayStatus> Seen
        {
            get
            {
                lock (_gate)
                {
                    return [.. _seen];
                }
            }
        }

        public static async Task<StatusEvents> OpenAsync(ServerUnderTest server)
        {
            var client = server.Client(server.Ready.Token);
            client.Timeout = Timeout.InfiniteTimeSpan;
            var events = new StatusEvents(client);
            var response = await client.GetAsync(HearsayRoutes.StatusEvents, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            events._reading = events.ReadAsync(response);
            return events;
        }

        /// <summary>Waits until text-to-speech has gone through <paramref name="states"/> in this order (others may come between).</summary>
        public async Task WaitForTtsAsync(params CapabilityState[] states)
        {
            await Poll.UntilAsync(
                () => Went(states) || _reading.IsCompleted,
                Patience,
                "tts to go " + string.Join(" → ", states) + " on the event stream; it went " + string.Join(" → ", Seen.Select(status => status.Tts.State)));
            Assert.True(Went(states), "The event stream ended; tts went " + string.Join(" → ", Seen.Select(status => status.Tts.State)));
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _reading;
            }
            catch (OperationCanceledException)
            {
                // Stopped on purpose.
            }

            _client.Dispose();
            _stop.Dispose();
        }

        private bool Went(CapabilityState[] states)
        {
            var next = 0;
            foreach (var status in Seen)
            {
                next += next < states.Length && status.Tts.State == states[next] ? 1 : 0;
            }

            return next == states.Length;
        }

        private async Task ReadAsync(HttpResponseMessage response)
        {
            using (response)
            {
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
                string? eventName = null;
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.StartsWith("event: ", StringComparison.Ordinal))
                    {
                        eventName = line["event: ".Length..];
                    }
                    else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName == "status")
                    {
                        var status = JsonSerializer.Deserialize(line["data: ".Length..], HearsayJsonContext.Default.HearsayStatus)!;
                        lock (_gate)
                        {
                            _seen.Add(status);
                        }
                    }
                    else if (line.Length == 0)
                    {
                        eventName = null;
                    }
                }
            }
        }
    }
}
