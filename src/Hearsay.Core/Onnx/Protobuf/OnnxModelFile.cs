using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

using static Hearsay.Core.Onnx.Protobuf.OnnxProtoFields;

namespace Hearsay.Core.Onnx.Protobuf;

/// <summary>
/// An .onnx file read directly (no ONNX Runtime): its main graph, and the data of its constant tensors on demand. The
/// file is memory-mapped, so parsing touches only the graph's structure, not the weights. Dispose to unmap.
/// </summary>
internal sealed unsafe class OnnxModelFile : IDisposable
{
    private readonly string _directory;
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _bytes;
    private readonly long _length;

    private OnnxModelFile(string path)
    {
        Path = path;
        _directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";
        // The open file's length, not FileInfo's: for a symbolic link that is the link's own size.
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        _length = file.Length;
        if (_length is 0 or > int.MaxValue)
        {
            file.Dispose();
            throw new InvalidDataException($"{path} is {_length} bytes: not an ONNX protobuf (at most 2 GB).");
        }

        _map = MemoryMappedFile.CreateFromFile(file, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        _view = _map.CreateViewAccessor(0, _length, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _bytes = pointer + _view.PointerOffset;
        (Graph, Metadata, OperatorSets) = ParseModel(new ProtoReader(new ReadOnlySpan<byte>(_bytes, (int)_length), 0));
    }

    public string Path { get; }

    public OnnxGraph Graph { get; }

    /// <summary>The model's metadata properties (what ONNX Runtime calls its custom metadata map).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The operator sets the model imports: version by domain ("" is the standard ONNX domain).</summary>
    public IReadOnlyDictionary<string, long> OperatorSets { get; }

    /// <summary>Opens and parses <paramref name="path"/>; throws <see cref="InvalidDataException"/> when it is not an ONNX model.</summary>
    public static OnnxModelFile Open(string path) => new(path);

    /// <summary>The file's bytes in <paramref name="range"/>; valid until the file is disposed.</summary>
    public ReadOnlySpan<byte> Bytes(FileRange range) =>
        range.Offset >= 0 && range.End <= _length
            ? new ReadOnlySpan<byte>(_bytes + range.Offset, range.Length)
            : throw new ArgumentOutOfRangeException(nameof(range), $"{range} is outside the {_length} bytes of {Path}.");

    /// <summary>The whole file as one protobuf message (a ModelProto); valid until the file is disposed.</summary>
    public ProtoReader ReadModel() => new(Bytes(new FileRange(0, (int)_length)), 0);

    /// <summary>A tensor's elements, converted to float (float, float16, int8 and uint8 tensors).</summary>
    public float[] ReadFloats(OnnxTensor tensor)
    {
        if (tensor.DataType == (int)OnnxDataType.Int64)
        {
            throw new InvalidDataException($"Tensor '{tensor.Name}' of {Path} holds int64 values, not numbers to read as floats.");
        }

        var result = new float[checked((int)tensor.ElementCount)];
        if (tensor.DataType == (int)OnnxDataType.Float)
        {
            // Straight into the result: a decoder's embedding alone is 80 MB, so no intermediate copy.
            CopyBytes(tensor, MemoryMarshal.AsBytes(result.AsSpan()));
            return result;
        }

        var bytes = new byte[ExpectedLength(tensor)];
        CopyBytes(tensor, bytes);
        switch ((OnnxDataType)tensor.DataType)
        {
            case OnnxDataType.Float16:
                var halves = MemoryMarshal.Cast<byte, Half>(bytes);
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = (float)halves[i];
                }

                break;
            case OnnxDataType.Int8:
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = (sbyte)bytes[i];
                }

                break;
            default:
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = bytes[i];
                }

                break;
        }

        return result;
    }

    /// <summary>The file that holds a tensor's bytes and where they start in it, for reading them later without this object.</summary>
    public (string File, long Offset) Locate(OnnxTensor tensor)
    {
        ExpectedLength(tensor);
        return tensor.Data.ExternalFile is { } file
            ? (System.IO.Path.Combine(_directory, file), tensor.Data.Offset)
            : (System.IO.Path.GetFullPath(Path), tensor.Data.Offset);
    }

    /// <summary>
    /// A tensor's elements where they lie in the mapped file, without copying them; false when they are in an external
    /// file or of another type than <paramref name="type"/>. Valid until the file is disposed.
    /// </summary>
    public bool TryView<T>(OnnxTensor tensor, OnnxDataType type, out ReadOnlySpan<T> elements)
        where T : unmanaged
    {
        elements = default;
        if (tensor.DataType != (int)type || tensor.Data.ExternalFile is not null)
        {
            return false;
        }

        elements = MemoryMarshal.Cast<byte, T>(new ReadOnlySpan<byte>(_bytes + tensor.Data.Offset, checked((int)ExpectedLength(tensor))));
        return true;
    }

    /// <summary>An int64 tensor's elements (shapes and axes).</summary>
    public long[] ReadInt64s(OnnxTensor tensor) => ReadExactly<long>(tensor, OnnxDataType.Int64);

    /// <summary>An int8 tensor's elements.</summary>
    public sbyte[] ReadInt8(OnnxTensor tensor) => ReadExactly<sbyte>(tensor, OnnxDataType.Int8);

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }

    /// <summary>A tensor's elements as they are stored, refusing another element type.</summary>
    private T[] ReadExactly<T>(OnnxTensor tensor, OnnxDataType type)
        where T : unmanaged
    {
        if (tensor.DataType != (int)type)
        {
            throw new InvalidDataException($"Tensor '{tensor.Name}' of {Path} is not {type.ToString().ToLowerInvariant()}.");
        }

        var result = new T[checked((int)tensor.ElementCount)];
        CopyBytes(tensor, MemoryMarshal.AsBytes(result.AsSpan()));
        return result;
    }

    private static int ElementSize(int dataType) => (OnnxDataType)dataType switch
    {
        OnnxDataType.Float => 4,
        OnnxDataType.Float16 => 2,
        OnnxDataType.Int64 => 8,
        OnnxDataType.Int8 or OnnxDataType.UInt8 => 1,
        _ => 0,
    };

    /// <summary>The byte length a tensor's type and shape need; throws when its data holds another amount.</summary>
    private long ExpectedLength(OnnxTensor tensor)
    {
        var size = ElementSize(tensor.DataType);
        if (size == 0)
        {
            throw new InvalidDataException($"Tensor '{tensor.Name}' of {Path} has element type {tensor.DataType}, not a number type Hearsay reads.");
        }

        var expected = tensor.ElementCount * size;
        if (tensor.Data.Length != expected)
        {
            throw new InvalidDataException(
                $"Tensor '{tensor.Name}' of {Path} holds {tensor.Data.Length} bytes; its type and shape need {expected}.");
        }

        return expected;
    }

    private void CopyBytes(OnnxTensor tensor, Span<byte> destination)
    {
        var expected = ExpectedLength(tensor);
        if (tensor.Data.ExternalFile is { } file)
        {
            using var handle = File.OpenHandle(System.IO.Path.Combine(_directory, file));
            if (RandomAccess.Read(handle, destination, tensor.Data.Offset) != expected)
            {
                throw new InvalidDataException($"External data file {file} of {Path} ends inside tensor '{tensor.Name}'.");
            }
        }
        else
        {
            new ReadOnlySpan<byte>(_bytes + tensor.Data.Offset, (int)expected).CopyTo(destination);
        }
    }

    private static (OnnxGraph Graph, IReadOnlyDictionary<string, string> Metadata, IReadOnlyDictionary<string, long> OperatorSets) ParseModel(ProtoReader model)
    {
        OnnxGraph? graph = null;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var operatorSets = new Dictionary<string, long>(StringComparer.Ordinal);
        while (model.TryReadTag(out var field, out var wire))
        {
            if (field == ModelGraph && wire == WireType.LengthDelimited)
            {
                graph = ParseGraph(model.ReadMessage());
            }
            else if (field == ModelMetadata && wire == WireType.LengthDelimited)
            {
                var entry = model.ReadMessage();
                var (key, value) = ParseEntry(ref entry);
                metadata[key] = value;
            }
            else if (field == ModelOpsetImport && wire == WireType.LengthDelimited)
            {
                var (domain, version) = ParseOperatorSet(model.ReadMessage());
                operatorSets[domain] = version;
            }
            else
            {
                model.Skip(wire);
            }
        }

        return (graph ?? throw new InvalidDataException("The file has no graph: not an ONNX model."), metadata, operatorSets);
    }

    private static (string Domain, long Version) ParseOperatorSet(ProtoReader operatorSet)
    {
        var domain = string.Empty;
        long version = 0;
        while (operatorSet.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case OpsetDomain when wire == WireType.LengthDelimited:
                    domain = operatorSet.ReadString();
                    break;
                case OpsetVersion when wire == WireType.Varint:
                    version = (long)operatorSet.ReadVarint();
                    break;
                default:
                    operatorSet.Skip(wire);
                    break;
            }
        }

        return (domain, version);
    }

    private static OnnxGraph ParseGraph(ProtoReader graph)
    {
        var nodes = new List<OnnxNode>();
        var constants = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        var inputs = new List<string>();
        var outputs = new List<string>();
        while (graph.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case GraphNode when wire == WireType.LengthDelimited:
                    var node = ParseNode(graph.ReadMessage());
                    nodes.Add(node);
                    if (node.OpType == "Constant" && node.Attributes.GetValueOrDefault("value")?.Tensor is { } value && node.Outputs.Length == 1)
                    {
                        constants[node.Outputs[0]] = value with { Name = node.Outputs[0] };
                    }

                    break;
                case GraphInitializer when wire == WireType.LengthDelimited:
                    var tensor = ParseTensor(graph.ReadMessage());
                    constants[tensor.Name] = tensor;
                    break;
                case GraphInput when wire == WireType.LengthDelimited:
                    inputs.Add(ParseValueInfoName(graph.ReadMessage()));
                    break;
                case GraphOutput when wire == WireType.LengthDelimited:
                    outputs.Add(ParseValueInfoName(graph.ReadMessage()));
                    break;
                default:
                    graph.Skip(wire);
                    break;
            }
        }

        return new OnnxGraph(nodes, constants, inputs, outputs);
    }

    private static OnnxNode ParseNode(ProtoReader node)
    {
        var encoded = node.Range;
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new Dictionary<string, OnnxAttribute>(StringComparer.Ordinal);
        string name = string.Empty, opType = string.Empty;
        while (node.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case NodeInput when wire == WireType.LengthDelimited:
                    inputs.Add(node.ReadString());
                    break;
                case NodeOutput when wire == WireType.LengthDelimited:
                    outputs.Add(node.ReadString());
                    break;
                case NodeName when wire == WireType.LengthDelimited:
                    name = node.ReadString();
                    break;
                case NodeOpType when wire == WireType.LengthDelimited:
                    opType = node.ReadString();
                    break;
                case NodeAttribute when wire == WireType.LengthDelimited:
                    var (attributeName, attribute) = ParseAttribute(node.ReadMessage());
                    attributes[attributeName] = attribute;
                    break;
                default:
                    node.Skip(wire);
                    break;
            }
        }

        return new OnnxNode(opType, name, [.. inputs], [.. outputs], attributes, encoded);
    }

    private static (string Name, OnnxAttribute Value) ParseAttribute(ProtoReader attribute)
    {
        var name = string.Empty;
        float? floatValue = null;
        long? intValue = null;
        OnnxTensor? tensor = null;
        var ints = new List<long>();
        while (attribute.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case AttributeName when wire == WireType.LengthDelimited:
                    name = attribute.ReadString();
                    break;
                case AttributeFloat when wire == WireType.Fixed32:
                    floatValue = attribute.ReadFixed32Float();
                    break;
                case AttributeInt when wire == WireType.Varint:
                    intValue = (long)attribute.ReadVarint();
                    break;
                case AttributeTensor when wire == WireType.LengthDelimited:
                    tensor = ParseTensor(attribute.ReadMessage());
                    break;
                case AttributeInts:
                    attribute.ReadInt64s(wire, ints);
                    break;
                default:
                    attribute.Skip(wire);
                    break;
            }
        }

        return (name, new OnnxAttribute(floatValue, intValue, tensor, ints.Count > 0 ? [.. ints] : null));
    }

    private static OnnxTensor ParseTensor(ProtoReader tensor)
    {
        var dims = new List<long>();
        var dataType = 0;
        var name = string.Empty;
        OnnxTensorData? data = null;
        var external = new Dictionary<string, string>(StringComparer.Ordinal);
        while (tensor.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case TensorDims:
                    tensor.ReadInt64s(wire, dims);
                    break;
                case TensorDataType when wire == WireType.Varint:
                    dataType = (int)tensor.ReadVarint();
                    break;
                case TensorName when wire == WireType.LengthDelimited:
                    name = tensor.ReadString();
                    break;
                case TensorRawData or TensorFloatData when wire == WireType.LengthDelimited:
                    // Packed float_data has the same little-endian layout as raw_data.
                    var bytes = tensor.ReadBytes(out var offset);
                    data = new OnnxTensorData(offset, bytes.Length, null);
                    break;
                case TensorExternalData when wire == WireType.LengthDelimited:
                    var entry = tensor.ReadMessage();
                    var (key, value) = ParseEntry(ref entry);
                    external[key] = value;
                    break;
                default:
                    tensor.Skip(wire);
                    break;
            }
        }

        if (external.TryGetValue("location", out var location))
        {
            var offset = long.Parse(external.GetValueOrDefault("offset", "0"), System.Globalization.CultureInfo.InvariantCulture);
            var length = external.TryGetValue("length", out var text)
                ? long.Parse(text, System.Globalization.CultureInfo.InvariantCulture)
                : dims.Aggregate(1L, (product, dim) => product * dim) * ElementSize(dataType);
            data = new OnnxTensorData(offset, length, location);
        }

        return new OnnxTensor(name, [.. dims], dataType, data ?? new OnnxTensorData(0, 0, null));
    }

    private static (string Key, string Value) ParseEntry(ref ProtoReader entry)
    {
        string key = string.Empty, value = string.Empty;
        while (entry.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case EntryKey when wire == WireType.LengthDelimited:
                    key = entry.ReadString();
                    break;
                case EntryValue when wire == WireType.LengthDelimited:
                    value = entry.ReadString();
                    break;
                default:
                    entry.Skip(wire);
                    break;
            }
        }

        return (key, value);
    }

    private static string ParseValueInfoName(ProtoReader valueInfo)
    {
        while (valueInfo.TryReadTag(out var field, out var wire))
        {
            if (field == ValueInfoName && wire == WireType.LengthDelimited)
            {
                return valueInfo.ReadString();
            }

            valueInfo.Skip(wire);
        }

        return string.Empty;
    }
}
