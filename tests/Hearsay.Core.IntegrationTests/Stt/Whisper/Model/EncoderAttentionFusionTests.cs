using System.Globalization;
using Hearsay.Core.Audio.Input;
using Hearsay.Core.Onnx;
using Hearsay.Core.Onnx.Protobuf;
using Hearsay.Core.Stt.Whisper.Features;
using Hearsay.Core.Stt.Whisper.Model;
using Hearsay.Testing;
using Microsoft.ML.OnnxRuntime;

namespace Hearsay.Core.IntegrationTests.Stt.Whisper.Model;

/// <summary>The encoder's attention fused into ONNX Runtime's MultiHeadAttention: on the generated exports (the
/// structure of sherpa-onnx's), every layer is rewritten, the rest of the file is kept, and the outputs stay the same.</summary>
public class EncoderAttentionFusionTests
{
    [Theory]
    [InlineData("tiny-en", "tiny-en-encoder.onnx")]
    [InlineData("tiny-en", "tiny-en-encoder.int8.onnx")]
    [InlineData("tiny-multi", "tiny-multi-encoder.onnx")]
    [InlineData("tiny-multi", "tiny-multi-encoder.int8.onnx")]
    public void TryFuse_GeneratedEncoder_FusesEveryLayerAndKeepsTheRest(string model, string fileName)
    {
        using var directory = new TemporaryDirectory();
        using var original = OnnxModelFile.Open(Path.Combine(WhisperExpectations.ModelDirectory(model), fileName));
        var heads = int.Parse(original.Metadata["n_audio_head"], CultureInfo.InvariantCulture);
        var layers = int.Parse(original.Metadata["n_audio_layer"], CultureInfo.InvariantCulture);

        var fused = EncoderAttentionFusion.TryFuse(original, heads, out var reason);

        Assert.NotNull(fused);
        Assert.Equal(string.Empty, reason);
        var fusedPath = Path.Combine(directory.Path, fileName);
        File.WriteAllBytes(fusedPath, fused);
        using var rewritten = OnnxModelFile.Open(fusedPath);
        var attention = rewritten.Graph.Nodes.Where(node => node.OpType == "MultiHeadAttention").ToList();
        Assert.Equal(layers, attention.Count);
        Assert.All(attention, node => Assert.Equal((long)heads, node.Attributes["num_heads"].Int));
        Assert.DoesNotContain(rewritten.Graph.Nodes, node => node.OpType == "Softmax");
        Assert.True(rewritten.Graph.Nodes.Count < original.Graph.Nodes.Count);
        Assert.Equal(1, rewritten.OperatorSets["com.microsoft"]);
        Assert.Equal(original.OperatorSets[string.Empty], rewritten.OperatorSets[string.Empty]);
        Assert.Equal(original.Metadata, rewritten.Metadata);
        Assert.Equal(original.Graph.Inputs, rewritten.Graph.Inputs);
        Assert.Equal(original.Graph.Outputs, rewritten.Graph.Outputs);
        // The weights are copied whole; only the operators computing the attention are gone.
        Assert.InRange(new FileInfo(original.Path).Length - fused.Length, 0, 64 * 1024);
    }

    [Theory]
    [InlineData("tiny-en")]
    [InlineData("tiny-multi")]
    public async Task FusedEncoder_OnSpeech_GivesTheFileEncodersOutputs(string model)
    {
        var path = Path.Combine(WhisperExpectations.ModelDirectory(model), $"{model}-encoder.onnx");
        byte[] fused;
        int melCount;
        using (var file = OnnxModelFile.Open(path))
        {
            fused = EncoderAttentionFusion.TryFuse(file, int.Parse(file.Metadata["n_audio_head"], CultureInfo.InvariantCulture), out _)!;
            melCount = int.Parse(file.Metadata["n_mels"], CultureInfo.InvariantCulture);
        }

        var mel = await MelOfAsync("jfk.wav", melCount);
        using var asFile = OnnxSessions.Create(path, EngineThreads.Default);
        using var asFused = OnnxSessions.Create(fused, path, EngineThreads.Default);

        var expected = Encode(asFile, mel, melCount);
        var actual = Encode(asFused, mel, melCount);

        // Only the rounding of the attention's scale and sums differs: (q d^-1/4)(k d^-1/4) against q k d^-1/2.
        Assert.Equal(expected.Length, actual.Length);
        for (var output = 0; output < expected.Length; output++)
        {
            Assert.Equal(expected[output].Length, actual[output].Length);
            var largest = expected[output].Max(MathF.Abs);
            var difference = expected[output].Zip(actual[output], (e, a) => MathF.Abs(e - a)).Max();
            Assert.True(difference <= 1e-5f * largest, $"output {output}: differs by {difference} (largest value {largest})");
        }
    }

    [Fact]
    public void TryFuse_DecoderGraph_LeavesTheFileWithTheReason()
    {
        using var decoder = OnnxModelFile.Open(Path.Combine(WhisperExpectations.ModelDirectory("tiny-en"), "tiny-en-decoder.onnx"));

        var fused = EncoderAttentionFusion.TryFuse(decoder, heads: 2, out var reason);

        Assert.Null(fused);
        Assert.StartsWith("its attention is not the sherpa-onnx export's (", reason);
    }

    private static async Task<float[]> MelOfAsync(string clip, int melCount)
    {
        await using var audio = await AudioDecoder.OpenFileAsync(TestPaths.SharedFile("audio", "wav16k", clip), new AudioInputOptions());
        var samples = await audio.ReadAllAsync(maxSamples: WhisperAudio.SampleRate * WhisperAudio.WindowSeconds);
        var mel = new float[melCount * WhisperAudio.WindowFrames];
        new LogMelSpectrogram(melCount).ComputeWindow(samples, 0, 0, WhisperAudio.WindowFrames, mel);
        return mel;
    }

    private static float[][] Encode(InferenceSession session, float[] mel, int melCount)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(mel, [1, melCount, WhisperAudio.WindowFrames]);
        using var results = session.Run(new RunOptions(), ["mel"], [input], session.OutputNames);
        return [.. results.Select(result => result.GetTensorDataAsSpan<float>().ToArray())];
    }
}
