using System.Text.Json.Serialization;
using Hearsay.Contracts.Audio;
using Hearsay.Contracts.Catalog;
using Hearsay.Contracts.Errors;
using Hearsay.Contracts.Sidecar;
using Hearsay.Contracts.Status;

namespace Hearsay.Contracts;

/// <summary>Source-generated JSON for every contract type, in OpenAI's snake_case; nulls are left out except where OpenAI writes them.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(TranscriptionText))]
[JsonSerializable(typeof(VerboseTranscription))]
[JsonSerializable(typeof(TranscriptTextEvent))]
[JsonSerializable(typeof(SpeechRequest))]
[JsonSerializable(typeof(SpeechAudioEvent))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(ModelInfo))]
[JsonSerializable(typeof(HearsayStatus))]
[JsonSerializable(typeof(CapabilityState))]
[JsonSerializable(typeof(CatalogList))]
[JsonSerializable(typeof(CatalogEntry))]
[JsonSerializable(typeof(DownloadProgress))]
[JsonSerializable(typeof(VerifyResult))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(ReadyLine))]
public sealed partial class HearsayJsonContext : JsonSerializerContext;

/// <content>The context for HTTP bodies.</content>
public sealed partial class HearsayJsonContext
{
    private static HearsayJsonContext? _web;

    /// <summary>
    /// Like <see cref="Default"/>, but escaping only what JSON itself requires, so messages keep their apostrophes and
    /// base64 audio its <c>+</c> instead of <c>\u0027</c> and <c>\u002B</c>. For HTTP bodies, never for HTML.
    /// </summary>
    public static HearsayJsonContext Web => _web ??= new(WireJsonOptions.Create());
}
