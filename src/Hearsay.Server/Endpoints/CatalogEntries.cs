using Hearsay.Contracts.Catalog;
using Hearsay.Core.Models;
using Hearsay.Core.Models.Catalog;
using Hearsay.Core.Models.Store;
using Hearsay.Server.Downloads;
using Hearsay.Server.Errors;

namespace Hearsay.Server.Endpoints;

/// <summary>
/// Catalog models as the API shows them: the store's standing (<see cref="ModelInstallStatus"/>, shared with
/// <c>hearsay models list</c>) with this server's running downloads on top.
/// </summary>
internal static class CatalogEntries
{
    /// <summary>
    /// The entry for <paramref name="status"/>: <c>downloading</c>, with its progress, while this server downloads it;
    /// after a failed download of a model that is not installed, its state with the failure (phase <c>failed</c>, the error).
    /// </summary>
    public static CatalogEntry From(ModelInstallStatus status, ModelDownloads downloads)
    {
        var model = status.Model;
        var running = downloads.Find(model.Id);
        var download = running ?? (status.IsUsable ? null : downloads.FindFailure(model.Id));
        var state = running is not null ? CatalogEntry.Downloading : status.State switch
        {
            ModelInstallState.BuiltIn => CatalogEntry.BuiltIn,
            ModelInstallState.Installed => CatalogEntry.Installed,
            ModelInstallState.UpdateAvailable => CatalogEntry.UpdateAvailable,
            ModelInstallState.Partial => CatalogEntry.Partial,
            _ => CatalogEntry.NotInstalled,
        };
        return new CatalogEntry(
            model.Id,
            KindName(model.Kind),
            model.Engine,
            model.Languages,
            model.SizeBytes,
            string.IsNullOrEmpty(model.License) ? null : model.License,
            model.Description,
            state,
            download);
    }

    /// <summary>The standing of model <paramref name="id"/>, from the catalog or else the store.</summary>
    /// <exception cref="ApiException">400 for a malformed id; 404 when neither the catalog nor the store knows it.</exception>
    public static ModelInstallStatus Find(string id, ModelCatalog catalog, ModelStore store)
    {
        CheckId(id);
        return ModelInstallStatus.Find(id, catalog, store) ?? throw ApiException.ModelNotFound(
            "id", $"The catalog has no model '{id}' and the store does not hold one; GET /v1/catalog/models lists the models.");
    }

    /// <summary>Refuses an id that is not a well-formed model id before any path is built from it.</summary>
    /// <exception cref="ApiException">400 naming <c>id</c>.</exception>
    public static void CheckId(string id)
    {
        if (!ModelId.IsValid(id))
        {
            throw ApiException.Invalid("id", $"'{id}' is not a model id: ids are letters, digits, '.', '-' and '_', with no path in them.");
        }
    }

    /// <summary>The <c>kind</c> query value; null for none.</summary>
    /// <exception cref="ApiException">400 naming <c>kind</c>.</exception>
    public static ModelKind? ParseKind(string? kind) => kind switch
    {
        null or "" => null,
        "stt" => ModelKind.Stt,
        "tts" => ModelKind.Tts,
        "vad" => ModelKind.Vad,
        _ => throw ApiException.Invalid("kind", $"'{kind}' is not a kind of model: use stt, tts or vad."),
    };

    /// <summary>A <c>true</c>/<c>false</c> query value; null when absent.</summary>
    /// <exception cref="ApiException">400 naming <paramref name="name"/>.</exception>
    public static bool? ParseFlag(string? value, string name) => value switch
    {
        null or "" => null,
        _ when bool.TryParse(value, out var flag) => flag,
        _ => throw ApiException.Invalid(name, $"{name}={value}: use true or false."),
    };

    private static string KindName(ModelKind kind) => kind switch
    {
        ModelKind.Stt => "stt",
        ModelKind.Tts => "tts",
        _ => "vad",
    };
}
