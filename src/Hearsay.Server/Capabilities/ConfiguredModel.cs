using Hearsay.Core.Models;
using Hearsay.Core.Models.Catalog;
using Hearsay.Core.Models.Store;

namespace Hearsay.Server.Capabilities;

/// <summary>
/// The start-up check of <c>--stt</c> and <c>--tts</c>: a value that is neither an existing file or folder nor a model
/// the catalog or the store knows is a typo, and a server that starts with it would only say so in its status.
/// </summary>
internal static class ConfiguredModel
{
    /// <exception cref="ArgumentException">The value names nothing; the message says what it may be.</exception>
    public static void Check(string option, string model, ModelCatalog catalog, ModelStore store)
    {
        if (string.Equals(model, HearsayServerOptions.None, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var known = ModelId.NamesCatalogModel(model)
            ? catalog.Find(model) is not null || store.FindInstalled(model) is not null
            : File.Exists(model) || Directory.Exists(model);
        if (!known)
        {
            throw new ArgumentException(
                $"{option} {model} is neither a file or folder nor a model id from the catalog ('hearsay models list' shows them; {option} none turns it off).");
        }
    }
}
