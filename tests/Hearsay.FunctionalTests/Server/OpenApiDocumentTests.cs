using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Server;

namespace Hearsay.FunctionalTests.Server;

/// <summary>
/// The OpenAPI document's <c>required</c> lists against real bodies: clients are built from it (the Electron kit's
/// types are tested against it), so a field it calls required must be in every body.
/// </summary>
public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task OpenApi_RequiredFields_AreInEveryBodyEvenWhenValuesAreNull()
    {
        // Both capabilities off: no model, the value a body most often leaves out.
        await using var server = await ServerUnderTest.StartAsync(
            install: false, configure: options => options with { SttModel = HearsayServerOptions.None, TtsVoice = HearsayServerOptions.None });
        using var document = JsonDocument.Parse(await server.Http.GetStringAsync(HearsayRoutes.OpenApi));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        using var status = JsonDocument.Parse(await server.Http.GetStringAsync(HearsayRoutes.Status));

        AssertHasRequired(schemas, "HearsayStatus", status.RootElement);
        AssertHasRequired(schemas, "CapabilityStatus", status.RootElement.GetProperty("stt"));
        Assert.All(status.RootElement.GetProperty("tools").EnumerateArray(), tool => AssertHasRequired(schemas, "ToolStatus", tool));
        Assert.Equal(["state"], Required(schemas, "CapabilityStatus"));
        // Written even when null, as OpenAI's envelope has them.
        Assert.Equal(["message", "type", "param", "code"], Required(schemas, "ErrorDetail"));
        // A request's list says what a client must send, whatever the server writes.
        Assert.Equal(["model", "input", "voice"], Required(schemas, "SpeechRequest"));
    }

    private static void AssertHasRequired(JsonElement schemas, string schema, JsonElement body)
    {
        var present = body.EnumerateObject().Select(property => property.Name).ToHashSet();
        Assert.All(Required(schemas, schema), field => Assert.True(present.Contains(field), $"{schema}.{field} is required, but {body} has no {field}"));
    }

    private static string[] Required(JsonElement schemas, string schema) =>
        [.. schemas.GetProperty(schema).GetProperty("required").EnumerateArray().Select(field => field.GetString()!)];
}
