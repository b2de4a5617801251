using Microsoft.ML.OnnxRuntime;

namespace Hearsay.Core.Vad;

/// <summary>One recurrent state tensor: fed as <paramref name="Input"/>, returned as <paramref name="Output"/>, [2, 1, Width].</summary>
internal sealed record SileroVadState(string Input, string Output, int Width)
{
    public int Length => 2 * Width;
}

/// <summary>The inputs and outputs of a Silero VAD model, read from its session and checked.</summary>
internal sealed record SileroVadSignature(
    SileroVadInterface Interface, int ContextSize, long[] SampleRateShape, IReadOnlyList<SileroVadState> States)
{
    public const string Audio = "input";
    public const string SampleRateInput = "sr";
    public const string Probability = "output";

    private static readonly SileroVadState[] V4States = [new("h", "hn", 64), new("c", "cn", 64)];
    private static readonly SileroVadState[] V5States = [new("state", "stateN", 128)];

    /// <summary>Samples fed per frame: the context carried from the previous frame, then the frame.</summary>
    public int InputWidth => ContextSize + SileroVadModel.FrameSize;

    /// <summary>Detects v4 or v5/v6 from the model's inputs and checks every type and fixed dimension.</summary>
    /// <exception cref="ModelLoadException">The model has neither interface (<see cref="HearsayErrorCode.ModelInvalid"/>).</exception>
    public static SileroVadSignature Read(InferenceSession session, string source)
    {
        var inputs = session.InputMetadata;
        var outputs = session.OutputMetadata;
        var (kind, states, context) = inputs.ContainsKey("state")
            ? (SileroVadInterface.V5, V5States, 64)
            : (SileroVadInterface.V4, V4States, 0);
        string[] expectedInputs = [Audio, SampleRateInput, .. states.Select(s => s.Input)];
        string[] expectedOutputs = [Probability, .. states.Select(s => s.Output)];
        if (!inputs.Keys.Order(StringComparer.Ordinal).SequenceEqual(expectedInputs.Order(StringComparer.Ordinal), StringComparer.Ordinal)
            || !expectedOutputs.All(outputs.ContainsKey))
        {
            throw NotSilero(
                source,
                $"expected inputs 'input', 'sr', 'state' and outputs 'output', 'stateN' (v5/v6), or inputs 'input', 'sr', 'h', 'c' and outputs 'output', 'hn', 'cn' (v4); it has inputs {Describe(inputs)} and outputs {Describe(outputs)}");
        }

        var signature = new SileroVadSignature(kind, context, SampleRateShapeOf(inputs[SampleRateInput], source), states);
        Expect(source, "input", Audio, inputs[Audio], typeof(float), [1, signature.InputWidth]);
        Expect(source, "output", Probability, outputs[Probability], typeof(float), [1, 1]);
        foreach (var state in states)
        {
            Expect(source, "input", state.Input, inputs[state.Input], typeof(float), [2, 1, state.Width]);
            Expect(source, "output", state.Output, outputs[state.Output], typeof(float), [2, 1, state.Width]);
        }

        return signature;
    }

    /// <summary>Silero's sample-rate input is a scalar; a one-element vector is accepted too.</summary>
    private static long[] SampleRateShapeOf(NodeMetadata metadata, string source)
    {
        if (metadata.IsTensor && metadata.ElementType == typeof(long))
        {
            if (metadata.Dimensions.Length == 0)
            {
                return [];
            }

            if (metadata.Dimensions is [-1 or 1])
            {
                return [1];
            }
        }

        throw NotSilero(source, $"input 'sr' is {Describe(metadata)}, expected an Int64 scalar");
    }

    /// <summary>Checks type and rank, and every dimension the model fixes (symbolic ones, -1, accept anything).</summary>
    private static void Expect(string source, string role, string name, NodeMetadata metadata, Type type, int[] shape)
    {
        var fits = metadata.IsTensor
            && metadata.ElementType == type
            && metadata.Dimensions.Length == shape.Length
            && metadata.Dimensions.Zip(shape).All(d => d.First < 0 || d.First == d.Second);
        if (!fits)
        {
            throw NotSilero(source, $"{role} '{name}' is {Describe(metadata)}, expected {type.Name} [{string.Join(", ", shape)}]");
        }
    }

    private static string Describe(IReadOnlyDictionary<string, NodeMetadata> nodes) =>
        string.Join(", ", nodes.Select(n => $"'{n.Key}' ({Describe(n.Value)})"));

    private static string Describe(NodeMetadata metadata) =>
        metadata.IsTensor
            ? $"{metadata.ElementType.Name} [{string.Join(", ", metadata.Dimensions)}]"
            : metadata.OnnxValueType.ToString();

    private static ModelLoadException NotSilero(string source, string problem) =>
        new(HearsayErrorCode.ModelInvalid, source, $"is not a Silero VAD model: {problem}");
}
