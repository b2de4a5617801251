using Hearsay.Core.Onnx.Protobuf;

namespace Hearsay.Core.Stt.Whisper.Model;

/// <summary>
/// Rewrites the self-attention of a sherpa-onnx Whisper encoder into ONNX Runtime's fused <c>MultiHeadAttention</c>
/// (ADR 0011). The export computes each layer's attention as separate operators, so ONNX Runtime holds the scores of
/// all heads and their softmax at once: 2 x 54 MB per 30 s window for tiny, and its arena keeps them. The fused
/// operator runs flash attention on the CPU, in blocks that fit the cache, so neither exists.
/// </summary>
/// <remarks>
/// Per layer the export computes <c>softmax((q d^-1/4)(k d^-1/4)^T) v</c> with q, k and v split into heads by a
/// Reshape to (batch, positions, heads, d) and a Transpose, and merged back the same way; the fused operator takes the
/// three (batch, positions, width) tensors and scales by d^-1/2, the same product. Only that exact structure is
/// rewritten; anything else leaves the file as it is.
/// </remarks>
internal static class EncoderAttentionFusion
{
    private const string FusedDomain = "com.microsoft";
    private const string FusedOperator = "MultiHeadAttention";
    private const float ScaleExponent = -0.25f;

    /// <summary>The encoder of <paramref name="file"/> with its attention fused, or null with the reason when its
    /// graph is not the export this knows.</summary>
    /// <param name="file">The encoder file.</param>
    /// <param name="heads">Attention heads per encoder layer (the metadata's <c>n_audio_head</c>).</param>
    /// <param name="reason">Why nothing was rewritten; empty when the model was.</param>
    public static byte[]? TryFuse(OnnxModelFile file, int heads, out string reason)
    {
        var graph = file.Graph;
        if (graph.Constants.Values.Any(constant => constant.Data.ExternalFile is not null))
        {
            reason = "its weights are in an external data file, which a model loaded from memory cannot reach";
            return null;
        }

        var softmaxes = graph.Nodes.Where(node => node.OpType == "Softmax").ToList();
        if (softmaxes.Count == 0)
        {
            reason = "its graph has no attention (no Softmax)";
            return null;
        }

        var fused = new Dictionary<OnnxNode, OnnxNode>();
        try
        {
            var matcher = new Matcher(file, heads);
            foreach (var softmax in softmaxes)
            {
                var (merge, attention) = matcher.Fuse(softmax);
                fused[merge] = attention;
            }
        }
        catch (NotTheExportException e)
        {
            reason = $"its attention is not the sherpa-onnx export's ({e.Message})";
            return null;
        }

        var nodes = LiveNodes([.. graph.Nodes.Select(node => fused.GetValueOrDefault(node, node))], graph.Outputs);
        reason = string.Empty;
        return OnnxModelRewrite.WithNodes(file, nodes, (FusedDomain, 1));
    }

    /// <summary>The nodes the graph's outputs depend on, in their order: the replaced operators drop out.</summary>
    private static List<OnnxNode> LiveNodes(IReadOnlyList<OnnxNode> nodes, IEnumerable<string> outputs)
    {
        var needed = new HashSet<string>(outputs, StringComparer.Ordinal);
        var live = new List<OnnxNode>();
        for (var i = nodes.Count - 1; i >= 0; i--)
        {
            if (nodes[i].Outputs.Any(needed.Contains))
            {
                live.Add(nodes[i]);
                needed.UnionWith(nodes[i].Inputs);
            }
        }

        live.Reverse();
        return live;
    }

    /// <summary>Follows one layer's attention from its Softmax to the tensors it starts from and the one it ends in.</summary>
    private sealed class Matcher(OnnxModelFile file, int heads)
    {
        private static readonly long[] HeadsFirst = [0, 2, 1, 3];
        private static readonly long[] HeadsFirstTransposed = [0, 2, 3, 1];

        private OnnxGraph Graph => file.Graph;

        /// <summary>The layer's last Reshape (whose output the fused node takes over) and the fused node.</summary>
        public (OnnxNode Merge, OnnxNode Attention) Fuse(OnnxNode softmax)
        {
            var axis = softmax.Attributes.GetValueOrDefault("axis")?.Int ?? (file.OperatorSets.GetValueOrDefault(string.Empty) >= 13 ? -1 : 1);
            Require(axis is -1 or 3, $"{softmax.Name} normalizes axis {axis}, not the keys'");
            var scores = softmax.Inputs[0];
            if (Graph.ProducerOf(scores) is { OpType: "Cast" } cast)
            {
                Require(cast.Attributes.GetValueOrDefault("to")?.Int == (long)OnnxDataType.Float, $"{cast.Name} casts to another type than float");
                scores = cast.Inputs[0];
            }

            var product = Producer(scores, "MatMul");
            var scaledQuery = Producer(product.Inputs[0], "Mul");
            var scaledKey = Producer(product.Inputs[1], "Mul");
            Require(scaledQuery.Inputs[1] == scaledKey.Inputs[1], $"{scaledQuery.Name} and {scaledKey.Name} scale by different factors");
            var power = Producer(scaledQuery.Inputs[1], "Pow");
            Require(Constant(power.Inputs[1]) is [ScaleExponent], $"{power.Name} is not d^-1/4");
            var query = HeadsSplitFrom(scaledQuery.Inputs[0], HeadsFirst);
            var key = HeadsSplitFrom(scaledKey.Inputs[0], HeadsFirstTransposed);

            var weighted = SoleConsumer(softmax.Outputs[0], "MatMul");
            Require(weighted.Inputs[0] == softmax.Outputs[0], $"{weighted.Name} does not weight the values by the softmax");
            var value = HeadsSplitFrom(weighted.Inputs[1], HeadsFirst);
            var transpose = SoleConsumer(weighted.Outputs[0], "Transpose");
            Require(Permutation(transpose).SequenceEqual(HeadsFirst), $"{transpose.Name} does not merge the heads");
            var merge = SoleConsumer(transpose.Outputs[0], "Reshape");

            var attention = new OnnxNode(
                FusedOperator,
                $"{merge.Name}/{FusedOperator}",
                [query, key, value],
                [merge.Outputs[0]],
                new Dictionary<string, OnnxAttribute>(StringComparer.Ordinal) { ["num_heads"] = new(null, heads, null) },
                Domain: FusedDomain);
            return (merge, attention);
        }

        /// <summary>The (batch, positions, width) tensor that a Reshape to (batch, positions, heads, d) and a Transpose
        /// by <paramref name="permutation"/> split into heads to give <paramref name="split"/>.</summary>
        private string HeadsSplitFrom(string split, long[] permutation)
        {
            var transpose = Producer(split, "Transpose");
            Require(Permutation(transpose).SequenceEqual(permutation), $"{transpose.Name} does not split the heads");
            var reshape = Producer(transpose.Inputs[0], "Reshape");
            var shape = Producer(reshape.Inputs[1], "Concat");
            Require(
                shape.Inputs.Length == 4 && Graph.ConstantOrNull(shape.Inputs[2]) is { DataType: (int)OnnxDataType.Int64 } headCount && file.ReadInt64s(headCount) is [var count] && count == heads,
                $"{reshape.Name} does not split the width into {heads} heads");
            return reshape.Inputs[0];
        }

        private OnnxNode Producer(string tensor, string opType)
        {
            var producer = Graph.ProducerOf(tensor);
            Require(producer?.OpType == opType, $"'{tensor}' is computed by {producer?.OpType ?? "no node"}, not {opType}");
            return producer!;
        }

        private OnnxNode SoleConsumer(string tensor, string opType)
        {
            var consumers = Graph.ConsumersOf(tensor).ToList();
            Require(consumers is [{ } consumer] && consumer.OpType == opType, $"'{tensor}' is not used by one {opType} alone");
            return consumers[0];
        }

        private float[]? Constant(string tensor) =>
            Graph.ConstantOrNull(tensor) is { DataType: (int)OnnxDataType.Float } constant ? file.ReadFloats(constant) : null;

        private static long[] Permutation(OnnxNode transpose) =>
            transpose.Attributes.GetValueOrDefault("perm")?.Ints ?? [];

        private static void Require(bool condition, string problem)
        {
            if (!condition)
            {
                throw new NotTheExportException(problem);
            }
        }
    }

    private sealed class NotTheExportException(string message) : Exception(message);
}
