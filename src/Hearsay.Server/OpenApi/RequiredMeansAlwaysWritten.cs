using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Hearsay.Server.OpenApi;

/// <summary>
/// Makes the <c>required</c> lists of the bodies the server writes say what those bodies hold. The schema generator
/// calls every constructor parameter required, but the contracts' context leaves nulls out (<c>WhenWritingNull</c>),
/// so a nullable property is in every body only when it says <c>[JsonIgnore(Condition = JsonIgnoreCondition.Never)]</c>,
/// as OpenAI's error <c>param</c> and <c>code</c> do. A client built from the document (the Electron kit's types are
/// tested against it) would otherwise wait for keys that never come, such as a disabled capability's <c>model</c>.
/// Request bodies keep theirs: there <c>required</c> says what a client must send.
/// </summary>
internal static class RequiredMeansAlwaysWritten
{
    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        // An object's own schema; the transformer also sees it where a property refers to it.
        if (context.JsonTypeInfo.Kind != JsonTypeInfoKind.Object || schema.Required is not { Count: > 0 } required ||
            IsRequestBody(context.JsonTypeInfo.Type, context.ApplicationServices))
        {
            return Task.CompletedTask;
        }

        foreach (var property in context.JsonTypeInfo.Properties.Where(property => property.IsGetNullable && !WrittenWhenNull(property)))
        {
            required.Remove(property.Name);
        }

        return Task.CompletedTask;
    }

    private static bool IsRequestBody(Type type, IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.Any(endpoint => endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType == type);

    private static bool WrittenWhenNull(JsonPropertyInfo property) =>
        property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: false)
            .OfType<JsonIgnoreAttribute>()
            .Any(ignore => ignore.Condition == JsonIgnoreCondition.Never) == true;
}
