using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Contracts.Audio;
using Hearsay.Contracts.Status;
using Hearsay.Core.Models.Store;
using Hearsay.Server.Capabilities;
using Hearsay.Server.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hearsay.Server.Endpoints;

/// <summary>OpenAI's <c>GET /v1/models</c>: the models this server answers to, under their ids and OpenAI's names.</summary>
internal static class ModelEndpoints
{
    public static void Map(IEndpointRouteBuilder v1)
    {
        v1.MapGet("/models", (StatusHub hub, ModelStore store) => TypedResults.Text(
                JsonSerializer.Serialize(new ModelList("list", Served(hub, store)), HearsayJsonContext.Web.ModelList), "application/json"))
            .WithSummary("The models served, with OpenAI's names for them (whisper-1, tts-1, tts-1-hd).")
            .Produces<ModelList>();
        v1.MapGet("/models/{id}", (string id, StatusHub hub, ModelStore store) =>
            {
                var model = Served(hub, store).FirstOrDefault(model => model.Id == id)
                    ?? throw ApiException.ModelNotFound("model", $"The model '{id}' is not served here; GET /v1/models lists those that are.");
                return TypedResults.Text(JsonSerializer.Serialize(model, HearsayJsonContext.Web.ModelInfo), "application/json");
            })
            .WithSummary("One served model.")
            .Produces<ModelInfo>();
    }

    private static List<ModelInfo> Served(StatusHub hub, ModelStore store)
    {
        var models = new List<ModelInfo>();
        Add(hub.Stt.Status, hub.Stt.Model, ModelAliases.Stt);
        Add(hub.Tts.Status, hub.Tts.Model, ModelAliases.Tts);
        return models;

        void Add(CapabilityStatus status, string model, IReadOnlyList<string> aliases)
        {
            if (status.State == CapabilityState.Disabled)
            {
                return;
            }

            var installed = Core.Models.ModelId.IsValid(model) ? store.FindInstalled(model)?.InstalledAt.ToUnixTimeSeconds() ?? 0 : 0;
            models.Add(new ModelInfo(model, "model", installed, "hearsay"));
            models.AddRange(aliases.Select(alias => new ModelInfo(alias, "model", 0, "hearsay")));
        }
    }
}
