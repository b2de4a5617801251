namespace Hearsay.Core.Onnx.Protobuf;

/// <summary>ONNX element types (TensorProto.DataType) that Hearsay reads.</summary>
internal enum OnnxDataType
{
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    Int64 = 7,
    Float16 = 10,
}

/// <summary>A constant tensor of the graph (an initializer or a Constant node's value); its data stays in the file.</summary>
internal sealed record OnnxTensor(string Name, long[] Dims, int DataType, OnnxTensorData Data)
{
    public long ElementCount => Dims.Aggregate(1L, (product, dim) => product * dim);

    public bool Is(OnnxDataType type, params long[] dims) => DataType == (int)type && Dims.SequenceEqual(dims);
}

/// <summary>Where a tensor's bytes are: inside the model file, or in an external data file next to it.</summary>
internal sealed record OnnxTensorData(long Offset, long Length, string? ExternalFile);

/// <summary>
/// One node: its operator, tensor names and the attributes Hearsay looks at. A node read from a file knows where its
/// message is (<see cref="Encoded"/>), so a rewrite copies it unchanged; a node Hearsay makes has none, and a
/// <see cref="Domain"/> when its operator is not a standard ONNX one.
/// </summary>
internal sealed record OnnxNode(
    string OpType,
    string Name,
    string[] Inputs,
    string[] Outputs,
    IReadOnlyDictionary<string, OnnxAttribute> Attributes,
    FileRange? Encoded = null,
    string Domain = "");

/// <summary>A node attribute's value (only the kinds Hearsay uses are kept).</summary>
internal sealed record OnnxAttribute(float? Float, long? Int, OnnxTensor? Tensor, long[]? Ints = null);

/// <summary>The main graph of a model: nodes in file (topological) order, constants by name, input and output names.</summary>
internal sealed class OnnxGraph(
    IReadOnlyList<OnnxNode> nodes,
    IReadOnlyDictionary<string, OnnxTensor> constants,
    IReadOnlyList<string> inputs,
    IReadOnlyList<string> outputs)
{
    private readonly Dictionary<string, OnnxNode> _producers = nodes
        .SelectMany(node => node.Outputs.Select(output => (output, node)))
        .Where(pair => pair.output.Length > 0)
        .GroupBy(pair => pair.output)
        .ToDictionary(group => group.Key, group => group.First().node);

    private readonly ILookup<string, OnnxNode> _consumers = nodes
        .SelectMany(node => node.Inputs.Distinct().Select(input => (input, node)))
        .ToLookup(pair => pair.input, pair => pair.node);

    public IReadOnlyList<OnnxNode> Nodes { get; } = nodes;

    public IReadOnlyDictionary<string, OnnxTensor> Constants { get; } = constants;

    public IReadOnlyList<string> Inputs { get; } = inputs;

    public IReadOnlyList<string> Outputs { get; } = outputs;

    /// <summary>The node that computes <paramref name="tensor"/>, or null for inputs and constants.</summary>
    public OnnxNode? ProducerOf(string tensor) => _producers.GetValueOrDefault(tensor);

    public IEnumerable<OnnxNode> ConsumersOf(string tensor) => _consumers[tensor];

    public OnnxTensor? ConstantOrNull(string tensor) => Constants.GetValueOrDefault(tensor);
}
