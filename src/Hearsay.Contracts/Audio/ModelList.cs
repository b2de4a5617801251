using System.Text.Json.Serialization;

namespace Hearsay.Contracts.Audio;

/// <summary>OpenAI's <c>GET /v1/models</c> response: the models and aliases this server answers to.</summary>
/// <param name="Kind">Always <c>list</c> (OpenAI's <c>object</c> field).</param>
/// <param name="Data">The models.</param>
public sealed record ModelList([property: JsonPropertyName("object")] string Kind, IReadOnlyList<ModelInfo> Data);

/// <summary>One entry of <see cref="ModelList"/>.</summary>
/// <param name="Id">A catalog id or an OpenAI alias (<c>whisper-1</c>).</param>
/// <param name="Kind">Always <c>model</c> (OpenAI's <c>object</c> field).</param>
/// <param name="Created">Unix seconds when the model was installed (0 for aliases and built-in models).</param>
/// <param name="OwnedBy">Always <c>hearsay</c>.</param>
public sealed record ModelInfo(string Id, [property: JsonPropertyName("object")] string Kind, long Created, string OwnedBy);
