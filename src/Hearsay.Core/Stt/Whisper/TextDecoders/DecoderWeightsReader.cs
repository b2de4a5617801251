using Hearsay.Core.Onnx.Protobuf;

namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>
/// Finds a sherpa-onnx Whisper decoder's weights by the graph's structure rather than by name (names differ between
/// exports): the token embedding is the Gather of <c>tokens</c>, the linear layers are the MatMuls with a constant
/// weight (or their dynamically quantized MatMulInteger form) in graph order, eight per block, and each layer norm is
/// found from the tensor it feeds. A graph that does not fit throws <see cref="DecoderGraphException"/>, naming what did not.
/// </summary>
internal sealed class DecoderWeightsReader
{
    private const string TokensInput = "tokens";
    private const string SelfKeyCache = "out_n_layer_self_k_cache";
    private const string SelfValueCache = "out_n_layer_self_v_cache";
    private const int LinearsPerLayer = 8;

    private readonly OnnxModelFile _file;
    private readonly OnnxGraph _graph;
    private readonly DecoderDimensions _dims;
    private readonly int _threads;

    private DecoderWeightsReader(OnnxModelFile file, DecoderDimensions dims, int threads)
    {
        _file = file;
        _graph = file.Graph;
        _dims = dims;
        _threads = threads;
    }

    /// <summary>Reads the weights of the decoder at <paramref name="path"/>.</summary>
    /// <exception cref="DecoderGraphException">The graph is not a Whisper decoder of <paramref name="dims"/>.</exception>
    public static DecoderWeights Read(string path, DecoderDimensions dims, int threads)
    {
        try
        {
            using var file = OnnxModelFile.Open(path);
            return new DecoderWeightsReader(file, dims, threads).Read();
        }
        catch (InvalidDataException e)
        {
            throw new DecoderGraphException(e.Message, e);
        }
    }

    private DecoderWeights Read()
    {
        var d = _dims.State;
        var embedding = Single(
            _graph.Nodes.Where(node => node.OpType == "Gather" && node.Inputs.Length == 2 && node.Inputs[1] == TokensInput)
                .Select(node => Constant(node.Inputs[0]))
                .Where(tensor => tensor is not null && tensor.Is(OnnxDataType.Float, _dims.Vocabulary, d)),
            $"a float [{_dims.Vocabulary}, {d}] token embedding gathered by '{TokensInput}'")!;
        var positions = Single(
            _graph.Constants.Values.Where(tensor => tensor.Is(OnnxDataType.Float, _dims.Context, d)),
            $"a float [{_dims.Context}, {d}] positional embedding");

        var linears = _graph.Nodes.Select(LinearOrNull).OfType<LinearNode>().ToList();
        if (linears.Count != LinearsPerLayer * _dims.Layers)
        {
            throw new DecoderGraphException(
                $"it has {linears.Count} linear layers with constant weights; {_dims.Layers} blocks need {LinearsPerLayer * _dims.Layers}");
        }

        var layers = new DecoderLayer[_dims.Layers];
        for (var i = 0; i < layers.Length; i++)
        {
            layers[i] = Layer(i, linears.GetRange(i * LinearsPerLayer, LinearsPerLayer));
        }

        var logits = Single(
            _graph.Nodes.Where(node => node.OpType == "MatMul" && Constant(node.Inputs[0])?.Name == embedding.Name),
            "a logits MatMul of the token embedding by the final state");
        var finalState = Producer(logits.Inputs[1]) is { OpType: "Transpose" } transpose ? transpose.Inputs[0] : logits.Inputs[1];

        var (file, offset) = _file.Locate(embedding);
        var table = new EmbeddingRows(file, offset, _dims.Vocabulary, d);
        try
        {
            return new DecoderWeights(
                _dims,
                table,
                _file.ReadFloats(positions),
                layers,
                NormFeeding(finalState, "the final layer norm"),
                LogitScreen.Of(table, _threads),
                _threads);
        }
        catch
        {
            table.Dispose();
            throw;
        }
    }

    private DecoderLayer Layer(int index, List<LinearNode> nodes)
    {
        var d = _dims.State;
        var (query, key, value, selfOut, crossQuery, crossOut, up, down) =
            (nodes[0], nodes[1], nodes[2], nodes[3], nodes[4], nodes[5], nodes[6], nodes[7]);
        string? problem = null;
        if (nodes.Take(6).Any(node => node.Inputs != d || node.Outputs != d) || up.Inputs != d || down.Outputs != d || up.Outputs != down.Inputs)
        {
            problem = $"its linear shapes are not those of a block of width {d}";
        }
        else if (query.Activation != key.Activation || key.Activation != value.Activation || crossQuery.Activation == query.Activation)
        {
            problem = "its query, key and value do not read one normalized input";
        }
        else if (!ReachesWithoutMatMul(key.Output, SelfKeyCache) || !ReachesWithoutMatMul(value.Output, SelfValueCache)
                 || ReachesWithoutMatMul(query.Output, SelfKeyCache))
        {
            problem = "its self-attention key and value projections do not feed the self-attention caches";
        }

        if (problem is not null)
        {
            throw new DecoderGraphException($"block {index}: {problem}");
        }

        return new DecoderLayer(
            NormFeeding(query.Activation, $"block {index}'s self-attention norm"),
            Load(query),
            Load(key),
            Load(value),
            Load(selfOut),
            NormFeeding(crossQuery.Activation, $"block {index}'s cross-attention norm"),
            Load(crossQuery),
            Load(crossOut),
            NormFeeding(up.Activation, $"block {index}'s MLP norm"),
            Load(up),
            Load(down));
    }

    /// <summary>A MatMul with a constant weight, plain or in dynamic-quantization form; null for any other node.</summary>
    private LinearNode? LinearOrNull(OnnxNode node)
    {
        if (node.OpType == "MatMul" && Constant(node.Inputs[0]) is null && Constant(node.Inputs[1]) is { Dims.Length: 2 } weight
            && weight.DataType == (int)OnnxDataType.Float)
        {
            return WithBias(new LinearNode(node.Inputs[0], node.Outputs[0], weight, null, null, null));
        }

        if (node.OpType != "MatMulInteger" || Constant(node.Inputs[1]) is not { Dims.Length: 2 } quantized)
        {
            return null;
        }

        if (Producer(node.Inputs[0]) is not { OpType: "DynamicQuantizeLinear" } quantize)
        {
            throw new DecoderGraphException($"MatMulInteger '{node.Name}' does not read a DynamicQuantizeLinear");
        }

        var zeroPoint = node.Inputs.Length > 3 && node.Inputs[3].Length > 0 ? Constant(node.Inputs[3]) : null;
        var cast = _graph.ConsumersOf(node.Outputs[0]).SingleOrDefault(consumer => consumer.OpType == "Cast");
        var rescale = cast is null ? null : _graph.ConsumersOf(cast.Outputs[0]).SingleOrDefault(consumer => consumer.OpType == "Mul");
        var scales = rescale?.Inputs.Select(Producer).FirstOrDefault(producer => producer?.OpType == "Mul");
        var weightScale = scales?.Inputs.Select(Constant).FirstOrDefault(tensor => tensor is not null);
        if (rescale is null || weightScale is null)
        {
            throw new DecoderGraphException($"MatMulInteger '{node.Name}' is not followed by Cast and a Mul by its weight's scale");
        }

        return WithBias(new LinearNode(quantize.Inputs[0], rescale.Outputs[0], quantized, weightScale, zeroPoint, null));
    }

    private LinearNode WithBias(LinearNode linear)
    {
        foreach (var add in _graph.ConsumersOf(linear.Output).Where(node => node.OpType == "Add"))
        {
            if (add.Inputs.Where(input => input != linear.Output).Select(Constant).SingleOrDefault() is { } bias
                && bias.Is(OnnxDataType.Float, linear.Outputs))
            {
                return linear with { Bias = bias };
            }
        }

        return linear;
    }

    private Linear Load(LinearNode node)
    {
        var bias = node.Bias is null ? null : _file.ReadFloats(node.Bias);
        if (node.Scale is null)
        {
            return new FloatLinear(ReadTransposed(node, OnnxDataType.Float, _file.ReadFloats), node.Inputs, node.Outputs, bias, _threads);
        }

        var scales = _file.ReadFloats(node.Scale);
        if (scales.Length != 1 && scales.Length != node.Outputs)
        {
            throw new DecoderGraphException($"weight scale '{node.Scale.Name}' has {scales.Length} values for {node.Outputs} outputs");
        }

        var zeroPoint = node.ZeroPoint is null ? [0] : _file.ReadInt8(node.ZeroPoint);
        if (zeroPoint.Length != 1)
        {
            throw new DecoderGraphException($"weight zero point '{node.ZeroPoint!.Name}' is not one value");
        }

        var weights = ReadTransposed(node, OnnxDataType.Int8, _file.ReadInt8);
        return new QuantizedLinear(weights, scales, zeroPoint[0], node.Inputs, node.Outputs, bias, _threads);
    }

    /// <summary>The layer norm whose output is <paramref name="tensor"/>: one LayerNormalization node, or its opset-13
    /// decomposition (..., Div by Sqrt(variance + epsilon), Mul by the scale, Add the shift).</summary>
    private LayerNorm NormFeeding(string tensor, string what)
    {
        var d = _dims.State;
        var producer = Producer(tensor);
        if (producer is { OpType: "LayerNormalization" }
            && Constant(producer.Inputs[1]) is { } scale && scale.Is(OnnxDataType.Float, d)
            && Constant(producer.Inputs.ElementAtOrDefault(2) ?? string.Empty) is { } shift && shift.Is(OnnxDataType.Float, d))
        {
            var epsilon = producer.Attributes.GetValueOrDefault("epsilon")?.Float ?? 1e-5f;
            return new LayerNorm(_file.ReadFloats(scale), _file.ReadFloats(shift), epsilon);
        }

        if (producer is { OpType: "Add" } add
            && VectorOperand(add, d) is ({ } addShift, var scaled)
            && Producer(scaled) is { OpType: "Mul" } multiply
            && VectorOperand(multiply, d) is ({ } mulScale, var normalized)
            && Producer(normalized) is { OpType: "Div" } divide
            && Producer(divide.Inputs[1]) is { OpType: "Sqrt" } root
            && Producer(root.Inputs[0]) is { OpType: "Add" } variance
            && variance.Inputs.Select(Constant).FirstOrDefault(tensor => tensor is { ElementCount: 1 }) is { } epsilonTensor)
        {
            return new LayerNorm(_file.ReadFloats(mulScale), _file.ReadFloats(addShift), _file.ReadFloats(epsilonTensor)[0]);
        }

        throw new DecoderGraphException($"{what} was not found before '{tensor}'");
    }

    /// <summary>For a binary node with one constant float [size] operand: that constant and the other operand.</summary>
    private (OnnxTensor? Constant, string Other) VectorOperand(OnnxNode node, int size)
    {
        for (var i = 0; i < 2 && node.Inputs.Length == 2; i++)
        {
            if (Constant(node.Inputs[i]) is { } tensor && tensor.Is(OnnxDataType.Float, size))
            {
                return (tensor, node.Inputs[1 - i]);
            }
        }

        return (null, string.Empty);
    }

    /// <summary>Whether the values of <paramref name="tensor"/> flow into graph output <paramref name="output"/> through
    /// copies and reshapes alone (a key or value projection reaches its cache; a query only through attention). Shape
    /// nodes pass on dimensions, not values, so they end a path.</summary>
    private bool ReachesWithoutMatMul(string tensor, string output)
    {
        var seen = new HashSet<string> { tensor };
        var pending = new Queue<string>([tensor]);
        while (pending.TryDequeue(out var current))
        {
            if (current == output)
            {
                return true;
            }

            foreach (var node in _graph.ConsumersOf(current).Where(node => node.OpType is not ("MatMul" or "MatMulInteger" or "Gemm" or "Shape" or "Size")))
            {
                foreach (var next in node.Outputs.Where(seen.Add))
                {
                    pending.Enqueue(next);
                }
            }
        }

        return false;
    }

    private OnnxNode? Producer(string tensor) => _graph.ProducerOf(tensor);

    /// <summary>The constant <paramref name="tensor"/> holds, looking through Identity nodes; null when it is computed.</summary>
    private OnnxTensor? Constant(string tensor)
    {
        for (var depth = 0; depth < 8; depth++)
        {
            if (_graph.ConstantOrNull(tensor) is { } constant)
            {
                return constant;
            }

            if (Producer(tensor) is not { OpType: "Identity" } identity)
            {
                return null;
            }

            tensor = identity.Inputs[0];
        }

        return null;
    }

    private static T Single<T>(IEnumerable<T?> candidates, string what)
    {
        var found = candidates.OfType<T>().Distinct().Take(2).ToList();
        return found.Count == 1 ? found[0] : throw new DecoderGraphException($"it has {(found.Count == 0 ? "no" : "more than one")} {what}");
    }

    /// <summary>
    /// A layer's weights, [inputs, outputs] in the file, as [outputs, inputs]: straight from the mapped file where they
    /// lie in it as <paramref name="type"/>, else through <paramref name="read"/>. Reading a copy first left a layer's
    /// weights behind as garbage for every layer, which the collector had not reclaimed before the load peaked: base.en
    /// peaked 40-70 MiB higher (bench whisper-memory with a collection after each layer).
    /// </summary>
    private T[] ReadTransposed<T>(LinearNode node, OnnxDataType type, Func<OnnxTensor, T[]> read)
        where T : unmanaged =>
        _file.TryView<T>(node.Weight, type, out var weights)
            ? Transpose(weights, node.Inputs, node.Outputs)
            : Transpose<T>(read(node.Weight), node.Inputs, node.Outputs);

    private static T[] Transpose<T>(ReadOnlySpan<T> matrix, int rows, int columns)
    {
        var result = new T[matrix.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                result[(c * rows) + r] = matrix[(r * columns) + c];
            }
        }

        return result;
    }

    /// <summary>A linear layer as found in the graph: what it reads and writes, and its constant tensors.</summary>
    private sealed record LinearNode(string Activation, string Output, OnnxTensor Weight, OnnxTensor? Scale, OnnxTensor? ZeroPoint, OnnxTensor? Bias)
    {
        public int Inputs => (int)Weight.Dims[0];

        public int Outputs => (int)Weight.Dims[1];
    }
}

/// <summary>A decoder file whose graph Hearsay cannot run itself (ONNX Runtime still can).</summary>
internal sealed class DecoderGraphException(string message, Exception? inner = null) : Exception(message, inner);
