namespace Hearsay.Core.Models.Catalog;

/// <summary>
/// Replaces the host of every catalog URL (<c>HEARSAY_MODEL_MIRROR</c>), for mirrors, air-gapped sites and tests. The
/// URL's path is kept: <c>https://huggingface.co/org/repo/resolve/rev/file</c> becomes <c>MIRROR/org/repo/resolve/rev/file</c>,
/// where MIRROR is a base URL or a local folder laid out the same way.
/// </summary>
public sealed class ModelMirror
{
    /// <summary>The environment variable read by <see cref="ModelCatalog.LoadAsync"/>.</summary>
    public const string EnvironmentVariable = "HEARSAY_MODEL_MIRROR";

    private readonly Uri _base;

    private ModelMirror(Uri baseUri) => _base = baseUri;

    /// <summary>A mirror from an http(s) URL or a local folder.</summary>
    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.InvalidInput"/> for anything else.</exception>
    public static ModelMirror Parse(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return new ModelMirror(uri);
        }

        if (Path.IsPathFullyQualified(location) || location.StartsWith('.'))
        {
            return new ModelMirror(new Uri(Path.GetFullPath(location)));
        }

        throw new HearsayException(HearsayErrorCode.InvalidInput, $"The model mirror '{location}' is neither an http(s) URL nor a folder path.");
    }

    /// <summary>Where <paramref name="original"/> is found on this mirror.</summary>
    public Uri Rewrite(Uri original)
    {
        ArgumentNullException.ThrowIfNull(original);
        var path = original.AbsolutePath.TrimStart('/');
        if (_base.IsFile)
        {
            var segments = path.Split('/').Select(Uri.UnescapeDataString).ToArray();
            return new Uri(Path.Combine([_base.LocalPath, .. segments]));
        }

        var root = _base.AbsoluteUri.EndsWith('/') ? _base.AbsoluteUri : _base.AbsoluteUri + "/";
        return new Uri(root + path + original.Query);
    }

    /// <inheritdoc/>
    public override string ToString() => _base.IsFile ? _base.LocalPath : _base.AbsoluteUri;
}
