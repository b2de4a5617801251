using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json.Nodes;
using Hearsay.Contracts.Catalog;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Hearsay.Server.OpenApi;

/// <summary>
/// Lists the values of <see cref="DownloadProgress"/>'s <c>phase</c> and <c>failure</c> in the document. Both are plain
/// strings in C# (so a newer server may add a value without breaking older clients' parsing), which the schema generator
/// describes as any string; clients branch on them, so the document names each value, and the Electron kit's types are
/// tested against these lists.
/// </summary>
internal static class DownloadCodesAsEnums
{
    private static readonly string[] Phases = ConstantsOf(typeof(DownloadProgress));

    private static readonly string[] Failures = ConstantsOf(typeof(DownloadFailureCodes));

    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type == typeof(DownloadProgress) && schema.Properties is { } properties)
        {
            SetValues(properties, "phase", Phases);
            SetValues(properties, "failure", Failures);
        }

        return Task.CompletedTask;
    }

    private static void SetValues(IDictionary<string, IOpenApiSchema> properties, string name, string[] values)
    {
        if (properties.TryGetValue(name, out var property) && property is OpenApiSchema schema)
        {
            // The property's type still says whether it may be null.
            schema.Enum = [.. values.Select(value => (JsonNode)JsonValue.Create(value))];
        }
    }

    private static string[] ConstantsOf([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] Type type) =>
        [.. type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral && field.FieldType == typeof(string))
            .Select(field => (string)field.GetRawConstantValue()!)];
}
