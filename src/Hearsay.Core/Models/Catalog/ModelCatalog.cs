namespace Hearsay.Core.Models.Catalog;

/// <summary>
/// The models Hearsay can install: the built-in catalog (embedded), plus entries from <c>HEARSAY_CATALOG</c> (a path or
/// URL; its entries replace built-in ones with the same id), with URLs rewritten by <c>HEARSAY_MODEL_MIRROR</c>.
/// </summary>
public sealed class ModelCatalog
{
    /// <summary>The environment variable naming an extra catalog (path or URL).</summary>
    public const string EnvironmentVariable = "HEARSAY_CATALOG";

    private const string ResourceName = "Hearsay.Core.Models.Catalog.catalog.json";

    private readonly Dictionary<string, CatalogModel> _byId;

    private ModelCatalog(IEnumerable<CatalogModel> models)
    {
        Models = [.. models.OrderBy(model => model.Kind).ThenBy(model => model.Id, StringComparer.Ordinal)];
        _byId = Models.ToDictionary(model => model.Id, StringComparer.Ordinal);
    }

    /// <summary>Every model, by kind then id.</summary>
    public IReadOnlyList<CatalogModel> Models { get; }

    /// <summary>The catalog compiled into Hearsay.</summary>
    public static ModelCatalog BuiltIn { get; } = LoadEmbedded();

    /// <summary>Parses a catalog; <paramref name="origin"/> names it in errors.</summary>
    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.ModelInvalid"/>, naming the model and field at fault.</exception>
    public static ModelCatalog Parse(ReadOnlySpan<byte> json, string origin) => new(CatalogReader.Read(json, origin));

    /// <summary>
    /// The built-in catalog with <paramref name="catalogLocation"/> (default: <c>HEARSAY_CATALOG</c>) merged in and
    /// <paramref name="mirror"/> (default: <c>HEARSAY_MODEL_MIRROR</c>) applied.
    /// </summary>
    /// <exception cref="HearsayException">The extra catalog cannot be read or is invalid.</exception>
    public static async Task<ModelCatalog> LoadAsync(
        string? catalogLocation = null, string? mirror = null, HttpClient? http = null, CancellationToken cancellationToken = default)
    {
        catalogLocation ??= Environment.GetEnvironmentVariable(EnvironmentVariable);
        mirror ??= Environment.GetEnvironmentVariable(ModelMirror.EnvironmentVariable);
        var catalog = BuiltIn;
        if (!string.IsNullOrWhiteSpace(catalogLocation))
        {
            var extra = Parse(await ReadLocationAsync(catalogLocation, http, cancellationToken).ConfigureAwait(false), catalogLocation);
            catalog = catalog.MergedWith(extra);
        }

        return string.IsNullOrWhiteSpace(mirror) ? catalog : catalog.WithMirror(ModelMirror.Parse(mirror));
    }

    /// <summary>The model with this id, or null.</summary>
    public CatalogModel? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The model with this id.</summary>
    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.InvalidInput"/> for a malformed id; <see cref="HearsayErrorCode.ModelNotFound"/> for an unknown one.</exception>
    public CatalogModel Get(string id) => Find(ModelId.Validate(id)) ?? throw new HearsayException(
        HearsayErrorCode.ModelNotFound, $"The catalog has no model '{id}' (see 'hearsay models list').");

    /// <summary>This catalog with <paramref name="overrides"/>' models added, replacing any with the same id.</summary>
    public ModelCatalog MergedWith(ModelCatalog overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        return new ModelCatalog(Models.Where(model => overrides.Find(model.Id) is null).Concat(overrides.Models));
    }

    /// <summary>This catalog with every download URL moved to <paramref name="mirror"/>.</summary>
    public ModelCatalog WithMirror(ModelMirror mirror)
    {
        ArgumentNullException.ThrowIfNull(mirror);
        return new ModelCatalog(Models.Select(model => model with
        {
            Files = [.. model.Files.Select(file => file with { Url = mirror.Rewrite(file.Url) })],
        }));
    }

    private static async Task<byte[]> ReadLocationAsync(string location, HttpClient? http, CancellationToken cancellationToken)
    {
        try
        {
            if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                if (http is not null)
                {
                    return await http.GetByteArrayAsync(uri, cancellationToken).ConfigureAwait(false);
                }

                using var client = new HttpClient();
                client.DefaultRequestHeaders.UserAgent.ParseAdd(HearsayVersion.UserAgent);
                return await client.GetByteArrayAsync(uri, cancellationToken).ConfigureAwait(false);
            }

            return await File.ReadAllBytesAsync(location, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException)
        {
            throw new HearsayException(HearsayErrorCode.ModelNotFound, $"The model catalog {location} cannot be read: {e.Message}", e);
        }
    }

    private static ModelCatalog LoadEmbedded()
    {
        using var stream = typeof(ModelCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(buffer.ToArray(), "built-in catalog");
    }
}
