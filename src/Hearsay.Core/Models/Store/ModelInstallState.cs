using Hearsay.Core.Models.Catalog;

namespace Hearsay.Core.Models.Store;

/// <summary>Where a model stands in a store.</summary>
public enum ModelInstallState
{
    /// <summary>Built into Hearsay: nothing to download, always there.</summary>
    BuiltIn,

    /// <summary>In the store, as the catalog describes it.</summary>
    Installed,

    /// <summary>In the store, but the catalog now lists other files, sizes or hashes (a replacing download updates it).</summary>
    UpdateAvailable,

    /// <summary>Not installed, but part of it is in the store; a download resumes it.</summary>
    Partial,

    /// <summary>Nothing of it is in the store.</summary>
    NotInstalled,
}

/// <summary>
/// One model's standing in a store. <c>hearsay models list</c> and the server's catalog both report models through
/// this, so the two never disagree.
/// </summary>
/// <param name="Model">The catalog entry; for an installed model the catalog no longer lists, the entry it was installed from.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Installed">The installed copy, if any.</param>
/// <param name="RemainingBytes">Bytes a download of the catalog entry still has to fetch (0 when nothing needs fetching).</param>
/// <param name="InCatalog">False for an installed model the catalog no longer lists.</param>
public sealed record ModelInstallStatus(CatalogModel Model, ModelInstallState State, InstalledModel? Installed, long RemainingBytes, bool InCatalog = true)
{
    /// <summary>True when the model can be used now: built in, or installed (an update being available does not change that).</summary>
    public bool IsUsable => State is ModelInstallState.BuiltIn or ModelInstallState.Installed or ModelInstallState.UpdateAvailable;

    /// <summary>How much of the model is in the store, from 0 to 1.</summary>
    public double FractionInStore => Model.SizeBytes == 0 ? 1 : 1 - ((double)RemainingBytes / Model.SizeBytes);

    /// <summary>The standing of catalog model <paramref name="model"/> in <paramref name="store"/>.</summary>
    public static ModelInstallStatus Of(CatalogModel model, ModelStore store)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(store);
        if (model.Bundled)
        {
            return new ModelInstallStatus(model, ModelInstallState.BuiltIn, null, 0);
        }

        var installed = store.FindInstalled(model.Id);
        if (installed is not null && !installed.DiffersFrom(model))
        {
            return new ModelInstallStatus(model, ModelInstallState.Installed, installed, 0);
        }

        var remaining = store.RemainingBytes(model);
        var state = installed is not null ? ModelInstallState.UpdateAvailable
            : remaining < model.SizeBytes ? ModelInstallState.Partial
            : ModelInstallState.NotInstalled;
        return new ModelInstallStatus(model, state, installed, remaining);
    }

    /// <summary>The standing of model <paramref name="id"/>: from the catalog, else from the store; null when neither knows it.</summary>
    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.InvalidInput"/> for a malformed id.</exception>
    public static ModelInstallStatus? Find(string id, ModelCatalog catalog, ModelStore store)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(store);
        ModelId.Validate(id);
        if (catalog.Find(id) is { } model)
        {
            return Of(model, store);
        }

        return store.FindInstalled(id) is { } installed ? NotInCatalog(installed) : null;
    }

    /// <summary>Every catalog model (by kind, then id), then the installed models the catalog no longer lists (by id).</summary>
    public static IReadOnlyList<ModelInstallStatus> ListAll(ModelCatalog catalog, ModelStore store)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(store);
        return [.. catalog.Models.Select(model => Of(model, store))
            .Concat(store.ListInstalled().Where(installed => catalog.Find(installed.Id) is null).Select(NotInCatalog))];
    }

    private static ModelInstallStatus NotInCatalog(InstalledModel installed) =>
        new(installed.Model, ModelInstallState.Installed, installed, 0, InCatalog: false);
}
