using System.CommandLine;
using Hearsay.Core.Models;
using Hearsay.Core.Models.Catalog;
using Hearsay.Core.Models.Store;

namespace Hearsay.Cli;

/// <summary>The catalog and store a command works with, and how a <c>--model</c>/<c>--voice</c> value names a model.</summary>
internal sealed class ModelSources(ModelCatalog catalog, ModelStore store)
{
    public ModelCatalog Catalog { get; } = catalog;

    public ModelStore Store { get; } = store;

    public static async Task<ModelSources> OpenAsync(ParseResult parseResult, CancellationToken cancellationToken) => new(
        await ModelCatalog.LoadAsync(cancellationToken: cancellationToken),
        ModelStore.Open(parseResult.GetValue(CommonOptions.ModelsDir)));

    /// <summary>
    /// A path as given when it exists; otherwise the installed catalog model of that id (its folder). A model that is
    /// in the catalog but not installed fails with how to pull it.
    /// </summary>
    public static async Task<string> ResolveFolderOrPathAsync(
        ParseResult parseResult, string value, ModelKind kind, CancellationToken cancellationToken)
    {
        if (!ModelId.NamesCatalogModel(value))
        {
            return value;
        }

        var sources = await OpenAsync(parseResult, cancellationToken);
        if (sources.Catalog.Find(value) is not { } model)
        {
            // Not a model id either: let the engine report the missing path as it always has.
            return value;
        }

        if (model.Kind != kind)
        {
            throw new CommandLineException($"'{value}' is a {model.Kind.ToString().ToLowerInvariant()} model, not {kind.ToString().ToLowerInvariant()}.");
        }

        return (sources.Store.FindInstalled(value) ?? throw ModelStore.NotInstalled(value)).LoadPath;
    }
}
