using Hearsay.Contracts;
using Hearsay.Contracts.Catalog;

namespace Hearsay.Client;

/// <content>The model catalog and downloads.</content>
public sealed partial class HearsayClient
{
    /// <summary>Every catalog model with its install state (<paramref name="kind"/>: <c>stt</c>, <c>tts</c>, <c>vad</c> or null for all).</summary>
    public Task<CatalogList> GetCatalogAsync(string? kind = null, CancellationToken cancellationToken = default) =>
        GetJsonAsync(kind is null ? HearsayRoutes.Catalog : $"{HearsayRoutes.Catalog}?kind={Uri.EscapeDataString(kind)}", HearsayJsonContext.Default.CatalogList, cancellationToken);

    /// <summary>One catalog model with its install state.</summary>
    public Task<CatalogEntry> GetCatalogModelAsync(string id, CancellationToken cancellationToken = default) =>
        GetJsonAsync(HearsayRoutes.CatalogModel(id), HearsayJsonContext.Default.CatalogEntry, cancellationToken);

    /// <summary>
    /// Starts downloading <paramref name="id"/> on the server (or joins the download running). Progress arrives
    /// through <see cref="WatchStatusAsync"/>; the capability serving the model loads it when it is installed.
    /// </summary>
    /// <param name="id">The catalog id.</param>
    /// <param name="replace">Replace an installed copy whose catalog entry changed (an update).</param>
    /// <param name="cancellationToken">Cancels this call, not the download (see <see cref="CancelDownloadAsync"/>).</param>
    public async Task StartDownloadAsync(string id, bool replace = false, CancellationToken cancellationToken = default)
    {
        var path = HearsayRoutes.CatalogDownload(id) + (replace ? "?replace=true" : "");
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, path), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Cancels <paramref name="id"/>'s download; what arrived is kept, and the next start resumes it.</summary>
    public async Task CancelDownloadAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Delete, HearsayRoutes.CatalogDownload(id)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes installed model <paramref name="id"/> from the store.</summary>
    public async Task DeleteModelAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Delete, HearsayRoutes.CatalogModel(id)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Re-hashes installed model <paramref name="id"/>'s files.</summary>
    public async Task<VerifyResult> VerifyModelAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, HearsayRoutes.CatalogVerify(id)), cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, HearsayJsonContext.Default.VerifyResult, cancellationToken).ConfigureAwait(false);
    }
}
