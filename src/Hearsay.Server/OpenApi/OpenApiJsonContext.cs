using System.Net.ServerSentEvents;
using System.Text.Json.Serialization;

namespace Hearsay.Server.OpenApi;

/// <summary>
/// JSON metadata the OpenAPI document needs for types that are not wire contracts: the status stream's event items.
/// A trimmed publish has no reflection-based fallback, so every type the document describes must be listed here or in
/// the contracts' context.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SseItem<string>))]
[JsonSerializable(typeof(Stream))]
internal sealed partial class OpenApiJsonContext : JsonSerializerContext;
