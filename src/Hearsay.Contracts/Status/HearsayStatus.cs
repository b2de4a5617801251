using Hearsay.Contracts.Catalog;

namespace Hearsay.Contracts.Status;

/// <summary>The body of <c>GET /v1/status</c>, and of each <c>status</c> event of <c>/v1/status/events</c>.</summary>
/// <param name="Stt">Speech-to-text.</param>
/// <param name="Tts">Text-to-speech.</param>
/// <param name="Downloads">Model downloads in progress, of any model; a download that just ended appears once more with its final phase.</param>
/// <param name="Version">Hearsay's version.</param>
/// <param name="Tools">The external programs Hearsay runs (espeak-ng, ffmpeg), as found when the server started.</param>
public sealed record HearsayStatus(
    CapabilityStatus Stt,
    CapabilityStatus Tts,
    IReadOnlyList<DownloadProgress> Downloads,
    string Version,
    IReadOnlyList<ToolStatus> Tools);

/// <summary>One capability's state.</summary>
/// <param name="State">Where it stands.</param>
/// <param name="Model">The catalog id (or folder) of the model it serves; null when disabled.</param>
/// <param name="Reason">Why it is not ready (for <c>error</c>, <c>unavailable</c>, <c>not_installed</c>), in a sentence for people.</param>
/// <param name="Download">The model's download while <c>downloading</c>; in <c>error</c> after a failed download, how it failed (its technical detail in <c>error</c>).</param>
/// <param name="SizeBytes">The model's download size, when it comes from the catalog.</param>
public sealed record CapabilityStatus(
    CapabilityState State,
    string? Model,
    string? Reason = null,
    DownloadProgress? Download = null,
    long? SizeBytes = null);
