using static Hearsay.Core.Onnx.Protobuf.OnnxProtoFields;

namespace Hearsay.Core.Onnx.Protobuf;

/// <summary>
/// Writes a model file again with another list of nodes, for ONNX Runtime to load from memory. Everything else (the
/// weights, inputs, outputs, metadata) is copied byte for byte; nodes read from the file are copied as they are and new
/// ones encoded, and the operator set the new nodes need is imported unless the model already does.
/// </summary>
internal static class OnnxModelRewrite
{
    /// <summary>The model of <paramref name="file"/> with <paramref name="nodes"/> as its graph's nodes.</summary>
    /// <param name="file">The model to rewrite; its weights must be inside it (no external data).</param>
    /// <param name="nodes">The new graph's nodes in topological order: the file's own and new ones.</param>
    /// <param name="opset">The operator set the new nodes need, e.g. (<c>com.microsoft</c>, 1).</param>
    public static byte[] WithNodes(OnnxModelFile file, IReadOnlyList<OnnxNode> nodes, (string Domain, long Version) opset)
    {
        var (modelFields, graph) = Split(file.ReadModel(), ModelGraph);
        var (graphFields, _) = Split(new ProtoReader(file.Bytes(graph), graph.Offset), GraphNode);
        var encodedNodes = nodes.Select(node => node.Encoded is null ? Encode(node) : null).ToArray();
        var opsetImport = file.OperatorSets.ContainsKey(opset.Domain)
            ? []
            : ProtoWriter.Encode(writer =>
            {
                writer.WriteString(OpsetDomain, opset.Domain);
                writer.WriteInt64(OpsetVersion, opset.Version);
            });

        long graphLength = graphFields.Sum(range => (long)range.Length);
        for (var i = 0; i < nodes.Count; i++)
        {
            graphLength += ProtoWriter.FieldSize(GraphNode, encodedNodes[i]?.Length ?? nodes[i].Encoded!.Value.Length);
        }

        var modelLength = modelFields.Sum(range => (long)range.Length)
            + ProtoWriter.FieldSize(ModelGraph, graphLength)
            + (opsetImport.Length == 0 ? 0 : ProtoWriter.FieldSize(ModelOpsetImport, opsetImport.Length));
        var result = new byte[checked((int)modelLength)];
        using var stream = new MemoryStream(result);
        var output = new ProtoWriter(stream);
        foreach (var range in modelFields)
        {
            output.WriteRaw(file.Bytes(range));
        }

        if (opsetImport.Length > 0)
        {
            output.WriteBytes(ModelOpsetImport, opsetImport);
        }

        output.WriteLengthPrefix(ModelGraph, graphLength);
        foreach (var range in graphFields)
        {
            output.WriteRaw(file.Bytes(range));
        }

        for (var i = 0; i < nodes.Count; i++)
        {
            output.WriteBytes(GraphNode, encodedNodes[i] ?? file.Bytes(nodes[i].Encoded!.Value));
        }

        return stream.Position == result.Length
            ? result
            : throw new InvalidOperationException($"The rewritten model is {stream.Position} bytes, not the {result.Length} computed.");
    }

    /// <summary>A message's fields other than <paramref name="field"/>, as byte ranges, and the last
    /// <paramref name="field"/>'s contents.</summary>
    private static (List<FileRange> Others, FileRange Field) Split(ProtoReader message, int field)
    {
        var others = new List<FileRange>();
        var found = default(FileRange);
        while (true)
        {
            var start = message.Position;
            if (!message.TryReadTag(out var number, out var wire))
            {
                return (others, found);
            }

            if (number == field && wire == WireType.LengthDelimited)
            {
                found = message.ReadMessage().Range;
            }
            else
            {
                message.Skip(wire);
                others.Add(new FileRange(start, (int)(message.Position - start)));
            }
        }
    }

    private static byte[] Encode(OnnxNode node) => ProtoWriter.Encode(writer =>
    {
        foreach (var input in node.Inputs)
        {
            writer.WriteString(NodeInput, input);
        }

        foreach (var output in node.Outputs)
        {
            writer.WriteString(NodeOutput, output);
        }

        writer.WriteString(NodeName, node.Name);
        writer.WriteString(NodeOpType, node.OpType);
        foreach (var (name, value) in node.Attributes)
        {
            writer.WriteBytes(NodeAttribute, EncodeAttribute(name, value));
        }

        writer.WriteString(NodeDomain, node.Domain);
    });

    private static byte[] EncodeAttribute(string name, OnnxAttribute value) => ProtoWriter.Encode(writer =>
    {
        writer.WriteString(AttributeName, name);
        switch (value)
        {
            case { Int: { } integer }:
                writer.WriteInt64(AttributeInt, integer);
                writer.WriteInt64(AttributeType, AttributeTypeInt);
                break;
            case { Float: { } number }:
                writer.WriteFloat(AttributeFloat, number);
                writer.WriteInt64(AttributeType, AttributeTypeFloat);
                break;
            default:
                throw new NotSupportedException($"Attribute '{name}' of a new node: only int and float attributes are written.");
        }
    });
}
