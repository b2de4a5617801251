namespace Hearsay.Core.Models.Catalog;

/// <summary>What a model is for.</summary>
public enum ModelKind
{
    /// <summary>Speech to text (Whisper).</summary>
    Stt,

    /// <summary>Text to speech (a Piper voice).</summary>
    Tts,

    /// <summary>Voice activity detection (Silero, built in).</summary>
    Vad,
}

/// <summary>One model the catalog knows: what it is and the files that make it up.</summary>
/// <param name="Id">The store folder's name and the name users type: letters, digits, <c>.</c>, <c>_</c>, <c>-</c>.</param>
/// <param name="Kind">What it is for.</param>
/// <param name="Engine">Which engine loads it: <c>whisper-onnx</c>, <c>piper</c> or <c>silero-vad</c>.</param>
/// <param name="Languages">ISO 639-1 codes it handles.</param>
/// <param name="Files">Every file to download; empty for a bundled model.</param>
public sealed record CatalogModel(string Id, ModelKind Kind, string Engine, IReadOnlyList<string> Languages, IReadOnlyList<CatalogFile> Files)
{
    /// <summary>A finer language tag (Piper's <c>en_US</c>), when the model has one.</summary>
    public string? Locale { get; init; }

    /// <summary>Quality or precision: <c>low</c>/<c>medium</c>/<c>high</c> for voices, <c>int8</c>/<c>fp32</c> for Whisper.</summary>
    public string? Quality { get; init; }

    /// <summary>The licence, as a short SPDX-like name.</summary>
    public string License { get; init; } = "";

    /// <summary>A longer note on the licence, when it needs one.</summary>
    public string? LicenseNote { get; init; }

    /// <summary>One line for people choosing a model.</summary>
    public string? Description { get; init; }

    /// <summary>Where the model is published.</summary>
    public string? Source { get; init; }

    /// <summary>Speakers of a multi-speaker voice.</summary>
    public int? Speakers { get; init; }

    /// <summary>Built into Hearsay: nothing to download, always installed.</summary>
    public bool Bundled { get; init; }

    /// <summary>The sum of the files' sizes.</summary>
    public long SizeBytes => Files.Sum(file => file.Size);
}

/// <summary>One file of a model, with what it must be once downloaded.</summary>
/// <param name="Path">Its name inside the model's folder (no directories).</param>
/// <param name="Url">Where it is downloaded from.</param>
/// <param name="Size">Its exact size in bytes.</param>
/// <param name="Sha256">Its SHA-256 (lowercase hex); null when the publisher records only MD5 or SHA-1.</param>
public sealed record CatalogFile(string Path, Uri Url, long Size, string? Sha256)
{
    /// <summary>Its MD5, used only when no SHA-256 is recorded.</summary>
    public string? Md5 { get; init; }

    /// <summary>Its SHA-1, used only when no SHA-256 is recorded.</summary>
    public string? Sha1 { get; init; }
}
