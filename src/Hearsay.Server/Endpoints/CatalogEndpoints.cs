using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Hearsay.Contracts;
using Hearsay.Contracts.Catalog;
using Hearsay.Contracts.Errors;
using Hearsay.Core;
using Hearsay.Core.Models.Catalog;
using Hearsay.Core.Models.Store;
using Hearsay.Server.Capabilities;
using Hearsay.Server.Downloads;
using Hearsay.Server.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Hearsay.Server.Endpoints;

/// <summary>
/// Model management: the catalog with each model's install state, downloads (progress goes to
/// <c>/v1/status/events</c>), removal and verification.
/// </summary>
internal static class CatalogEndpoints
{
    private const string Models = "/catalog/models";
    private const string Model = Models + "/{id}";

    public static void Map(IEndpointRouteBuilder v1)
    {
        v1.MapGet(Models, List)
            .WithSummary("Every catalog model with its install state (?kind=stt|tts|vad, ?installed=true|false), and installed models the catalog no longer lists.")
            .Produces<CatalogList>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest);
        v1.MapGet(Model, Get)
            .WithSummary("One model with its install state.")
            .Produces<CatalogEntry>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound);
        v1.MapPost(Model + "/download", StartDownload)
            .WithSummary("Starts (or joins) the model's download: 202 with its progress, which then flows through /v1/status/events; 200 with the entry when it is already installed (?replace=true installs the catalog's newer version).")
            .Produces<DownloadProgress>(StatusCodes.Status202Accepted)
            .Produces<CatalogEntry>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound);
        v1.MapDelete(Model + "/download", CancelDownload)
            .WithSummary("Cancels the model's running download, keeping what arrived so the next download resumes it.")
            .Produces<DownloadProgress>(StatusCodes.Status202Accepted)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound);
        v1.MapDelete(Model, RemoveAsync)
            .WithSummary("Deletes the model from the store (partial downloads included); a capability serving it becomes not_installed once its runs in flight end.")
            .Produces(StatusCodes.Status204NoContent)
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict);
        v1.MapPost(Model + "/verify", VerifyAsync)
            .WithSummary("Re-hashes the installed model's files against the sizes and hashes it was installed with.")
            .Produces<VerifyResult>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict);
    }

    private static ContentHttpResult List(string? kind, string? installed, ModelCatalog catalog, ModelStore store, ModelDownloads downloads)
    {
        var onlyKind = CatalogEntries.ParseKind(kind);
        var onlyInstalled = CatalogEntries.ParseFlag(installed, "installed");
        var entries = ModelInstallStatus.ListAll(catalog, store)
            .Where(status => onlyKind is null || status.Model.Kind == onlyKind)
            .Where(status => onlyInstalled is null || status.IsUsable == onlyInstalled)
            .Select(status => CatalogEntries.From(status, downloads))
            .ToList();
        return Json(new CatalogList(entries, store.Root), HearsayJsonContext.Web.CatalogList);
    }

    private static ContentHttpResult Get(string id, ModelCatalog catalog, ModelStore store, ModelDownloads downloads) =>
        Json(CatalogEntries.From(CatalogEntries.Find(id, catalog, store), downloads), HearsayJsonContext.Web.CatalogEntry);

    private static ContentHttpResult StartDownload(
        string id, string? replace, HttpResponse response, ModelCatalog catalog, ModelStore store, ModelDownloads downloads, StatusHub hub)
    {
        var replacing = CatalogEntries.ParseFlag(replace, "replace") ?? false;
        var status = CatalogEntries.Find(id, catalog, store);
        if (status.State == ModelInstallState.BuiltIn)
        {
            throw ApiException.Invalid("id", $"'{id}' is built into Hearsay; there is nothing to download.");
        }

        var running = downloads.Find(id) is not null;
        if (!running && (status.State == ModelInstallState.Installed || (status.State == ModelInstallState.UpdateAvailable && !replacing)))
        {
            // Installed by another process while this one ran: a capability waiting for it loads it now.
            RefreshServing(id, hub);
            return Json(CatalogEntries.From(status, downloads), HearsayJsonContext.Web.CatalogEntry);
        }

        // A resumed download starts from what is already in the store, so the answer says so.
        var progress = downloads.Start(status.Model, replacing, status.Model.SizeBytes - status.RemainingBytes);
        response.Headers.Location = HearsayRoutes.CatalogModel(id);
        return Json(progress, HearsayJsonContext.Web.DownloadProgress, StatusCodes.Status202Accepted);
    }

    private static ContentHttpResult CancelDownload(string id, ModelDownloads downloads)
    {
        CatalogEntries.CheckId(id);
        if (downloads.Find(id) is not { } progress || !downloads.Cancel(id))
        {
            throw new ApiException(StatusCodes.Status404NotFound, ErrorCodes.DownloadNotFound, $"No download of '{id}' is running.", "id");
        }

        // It stops in a moment, keeping what arrived: the model's entry then says partial, and a new download resumes it.
        var cancelled = progress with { Phase = DownloadProgress.Cancelled, BytesPerSecond = null, EtaSeconds = null };
        return Json(cancelled, HearsayJsonContext.Web.DownloadProgress, StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> RemoveAsync(
        string id, ModelCatalog catalog, ModelStore store, ModelDownloads downloads, StatusHub hub, CancellationToken cancellationToken)
    {
        CatalogEntries.CheckId(id);
        if (catalog.Find(id) is { Bundled: true })
        {
            throw ApiException.Invalid("id", $"'{id}' is built into Hearsay and cannot be removed.");
        }

        ThrowIfDownloading(id, downloads, "removed");
        if (!await store.RemoveAsync(id, cancellationToken))
        {
            throw ApiException.ModelNotFound("id", $"The model '{id}' is not in the store.");
        }

        downloads.Forget(id);

        // Files first, engine second: unloading re-assesses the capability, which would load the model again were it
        // still installed. Runs in flight keep the engine until they end.
        if (hub.Stt.Model == id)
        {
            hub.Stt.Unload();
        }

        if (hub.Tts.Model == id)
        {
            hub.Tts.Unload();
        }

        return TypedResults.NoContent();
    }

    private static async Task<IResult> VerifyAsync(
        string id, ModelCatalog catalog, ModelStore store, ModelDownloads downloads, CancellationToken cancellationToken)
    {
        CatalogEntries.CheckId(id);
        if (catalog.Find(id) is { Bundled: true })
        {
            throw ApiException.Invalid("id", $"'{id}' is built into Hearsay; there are no files to verify.");
        }

        ThrowIfDownloading(id, downloads, "verified");
        IReadOnlyList<string> problems;
        try
        {
            problems = await store.VerifyAsync(id, cancellationToken);
        }
        catch (HearsayException e) when (e.Code == HearsayErrorCode.ModelNotFound)
        {
            throw ApiException.ModelNotFound("id", $"The model '{id}' is not installed; there is nothing to verify.");
        }

        return Json(new VerifyResult(id, problems.Count == 0, problems), HearsayJsonContext.Web.VerifyResult);
    }

    private static void ThrowIfDownloading(string id, ModelDownloads downloads, string what)
    {
        if (downloads.Find(id) is not null)
        {
            throw new ApiException(
                StatusCodes.Status409Conflict,
                ErrorCodes.Conflict,
                $"'{id}' is being downloaded and cannot be {what} now; cancel the download first (DELETE {HearsayRoutes.CatalogDownload(id)}).",
                "id");
        }
    }

    private static void RefreshServing(string id, StatusHub hub)
    {
        if (hub.Stt.Model == id)
        {
            hub.Stt.Refresh();
        }

        if (hub.Tts.Model == id)
        {
            hub.Tts.Refresh();
        }
    }

    private static ContentHttpResult Json<T>(T value, JsonTypeInfo<T> type, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Text(JsonSerializer.Serialize(value, type), "application/json", statusCode: statusCode);
}
