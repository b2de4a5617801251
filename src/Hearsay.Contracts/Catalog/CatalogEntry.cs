namespace Hearsay.Contracts.Catalog;

/// <summary>One model of <c>GET /v1/catalog/models</c>, with its install state.</summary>
/// <param name="Id">The catalog id.</param>
/// <param name="Kind"><c>stt</c>, <c>tts</c> or <c>vad</c>.</param>
/// <param name="Engine"><c>whisper-onnx</c>, <c>piper</c> or <c>silero-vad</c>.</param>
/// <param name="Languages">ISO 639-1 codes (Piper voices: their locale's language).</param>
/// <param name="SizeBytes">Download size in bytes; 0 for a model built into Hearsay (nothing to download).</param>
/// <param name="License">The model's licence.</param>
/// <param name="Description">One line for people.</param>
/// <param name="State"><c>built_in</c>, <c>installed</c>, <c>update_available</c>, <c>downloading</c>, <c>partial</c> (a resumable download) or <c>not_installed</c>.</param>
/// <param name="Download">Progress while <c>downloading</c>; after a failed download, its phase <c>failed</c> and error.</param>
public sealed record CatalogEntry(
    string Id,
    string Kind,
    string Engine,
    IReadOnlyList<string> Languages,
    long SizeBytes,
    string? License,
    string? Description,
    string State,
    DownloadProgress? Download = null)
{
    /// <summary>Part of Hearsay itself.</summary>
    public const string BuiltIn = "built_in";

    /// <summary>In the store as the catalog describes it.</summary>
    public const string Installed = "installed";

    /// <summary>In the store, but the catalog now lists other files.</summary>
    public const string UpdateAvailable = "update_available";

    /// <summary>Being downloaded now.</summary>
    public const string Downloading = "downloading";

    /// <summary>Part of it is in the store; a download resumes it.</summary>
    public const string Partial = "partial";

    /// <summary>Not in the store.</summary>
    public const string NotInstalled = "not_installed";
}

/// <summary>The body of <c>GET /v1/catalog/models</c>.</summary>
/// <param name="Models">Every catalog model, and installed models the catalog no longer lists.</param>
/// <param name="StorePath">The model store's folder.</param>
public sealed record CatalogList(IReadOnlyList<CatalogEntry> Models, string StorePath);

/// <summary>The body of <c>POST /v1/catalog/models/{id}/verify</c>.</summary>
/// <param name="Id">The model.</param>
/// <param name="Ok">Whether every file still has the size and hash the model was installed with.</param>
/// <param name="Problems">One sentence per damaged or missing file.</param>
public sealed record VerifyResult(string Id, bool Ok, IReadOnlyList<string> Problems);
