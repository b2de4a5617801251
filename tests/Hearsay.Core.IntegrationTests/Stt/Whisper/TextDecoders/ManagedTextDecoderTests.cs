using Hearsay.Core.Onnx;
using Hearsay.Core.Stt.Whisper;
using Hearsay.Core.Stt.Whisper.Model;
using Hearsay.Core.Stt.Whisper.TextDecoders;
using Hearsay.Testing;

namespace Hearsay.Core.IntegrationTests.Stt.Whisper.TextDecoders;

/// <summary>
/// Hearsay's decoder against ONNX Runtime running the same file, step by step, on decoders whose every parameter is
/// random (tools/testmodels/generate_decoder_check_models.py), in both graph forms (opset 13 as sherpa-onnx exports,
/// opset 17) and both precisions.
/// </summary>
public class ManagedTextDecoderTests
{
    private static readonly DecoderDimensions CheckDims = new(Layers: 2, State: 64, Heads: 4, Vocabulary: 1000, Context: 448);
    private const int AudioPositions = 1500;

    public static TheoryData<string, string> CheckModels() => new()
    {
        { "opset13", "decoder.onnx" },
        { "opset13", "decoder.int8.onnx" },
        { "opset17", "decoder.onnx" },
        { "opset17", "decoder.int8.onnx" },
    };

    [Theory]
    [MemberData(nameof(CheckModels))]
    public void StartAndStep_RandomDecoder_MatchOnnxRuntime(string form, string file)
    {
        var path = TestPaths.RepoAsset("whisper", "decoder-check", form, file);
        var random = new Random(3);
        var crossKeys = RandomArray(random, CheckDims.Layers * AudioPositions * CheckDims.State);
        var crossValues = RandomArray(random, crossKeys.Length);
        using var session = OnnxSessions.Create(path, new EngineThreads { Count = 1 });
        using var reference = new OnnxTextDecoder(session, path, CheckDims, crossKeys, crossValues);
        using var managed = new ManagedTextDecoder(DecoderWeightsReader.Read(path, CheckDims, threads: 2), crossKeys, crossValues);
        // int8 layers quantize their inputs: a float rounding difference can move one value by a quantization step.
        var tolerance = file.Contains("int8", StringComparison.Ordinal) ? 2e-3 : 1e-6;

        int[] start = [7, 999, 0, 512, 64];
        var referenceSot = new float[CheckDims.Vocabulary];
        var managedSot = new float[CheckDims.Vocabulary];
        var expected = reference.Start(start, 1, referenceSot, CancellationToken.None).ToArray();
        var estimatedSteps = AssertRefinesTo(expected, managed, managed.Start(start, 1, managedSot, CancellationToken.None), tolerance, "after the start sequence");
        AssertClose(referenceSot, managedSot, tolerance, "at the start-of-transcript position");

        var expectedNormalizers = new List<double>();
        for (var step = 0; step < 60; step++)
        {
            var token = random.Next(CheckDims.Vocabulary);
            expected = reference.Step(token, CancellationToken.None).ToArray();
            var logits = managed.Step(token, CancellationToken.None).ToArray();
            estimatedSteps += AssertRefinesTo(expected, managed, logits, tolerance, $"at step {step}");

            // The step's normalizer over the tokens a filter left, as decoding keeps it.
            var masked = random.Next(CheckDims.Vocabulary);
            expected[masked] = float.NegativeInfinity;
            expectedNormalizers.Add(LogProbabilities.LogSumExp(expected));
            var filtered = expected.ToArray();
            managed.KeepStep(filtered);
        }

        Assert.Equal(61, estimatedSteps);
        var normalizers = managed.TakeLogSumExps();
        Assert.Equal(expectedNormalizers.Count, normalizers.Length);
        for (var i = 0; i < normalizers.Length; i++)
        {
            Assert.True(
                Math.Abs(normalizers[i] - expectedNormalizers[i]) <= tolerance * Math.Max(1, Math.Abs(expectedNormalizers[i])),
                $"step {i}: normalizer {normalizers[i]}, from ONNX Runtime's logits {expectedNormalizers[i]}");
        }

        Assert.Empty(managed.TakeLogSumExps());
        Assert.Equal(start.Length + 60, managed.Offset);
        Assert.Equal(reference.Offset, managed.Offset);
    }

    [Theory]
    [InlineData("tiny-en")]
    [InlineData("tiny-multi")]
    public async Task LoadAsync_GeneratedModels_RunOnHearsaysDecoderByDefault(string model)
    {
        foreach (var precision in new[] { WhisperPrecision.Full, WhisperPrecision.Quantized })
        {
            using var engine = await WhisperSpeechToText.LoadAsync(
                WhisperExpectations.ModelDirectory(model), new WhisperSessionOptions { Precision = precision });

            Assert.Equal(WhisperDecoderBackend.Hearsay, engine.Model.DecoderBackend);
        }
    }

    [Fact]
    public async Task LoadAsync_DecoderHearsayCannotRead_FallsBackToOnnxRuntimeOrFailsWhenHearsayIsRequired()
    {
        // A decoder of another shape than the encoder's metadata says: Hearsay's reader rejects it, ONNX Runtime only
        // checks the interface (the mismatch would surface at the first step).
        using var directory = new TemporaryDirectory();
        var model = WhisperExpectations.WriteModelOnOnnxRuntimeDecoder(directory.File("model"));

        using (var engine = await WhisperSpeechToText.LoadAsync(model))
        {
            Assert.Equal(WhisperDecoderBackend.OnnxRuntime, engine.Model.DecoderBackend);
        }

        var error = await Assert.ThrowsAsync<ModelLoadException>(
            () => WhisperSpeechToText.LoadAsync(model, new WhisperSessionOptions { Decoder = WhisperDecoderBackend.Hearsay }));
        Assert.Equal(HearsayErrorCode.ModelInvalid, error.Code);
        Assert.Contains("cannot be run by Hearsay's decoder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WrongDimensions_NamesWhatDoesNotFit()
    {
        var path = TestPaths.RepoAsset("whisper", "decoder-check", "opset13", "decoder.onnx");

        var error = Assert.Throws<DecoderGraphException>(() => DecoderWeightsReader.Read(path, CheckDims with { Layers = 3 }, threads: 1));

        Assert.Contains("16 linear layers", error.Message, StringComparison.Ordinal);
        Assert.Contains("3 blocks need 24", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EncoderFile_IsNotADecoder()
    {
        var path = TestPaths.RepoAsset("whisper", "tiny-en", "tiny-en-encoder.onnx");

        var error = Assert.Throws<DecoderGraphException>(() => DecoderWeightsReader.Read(path, CheckDims, threads: 1));

        Assert.Contains("token embedding", error.Message, StringComparison.Ordinal);
    }

    private static float[] RandomArray(Random random, int length)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }

    /// <summary>
    /// Checks every estimate is within its stated error of ONNX Runtime's logit, then refines them all and checks the
    /// exact values; 1 when the step returned estimates, 0 when it computed exactly.
    /// </summary>
    private static int AssertRefinesTo(float[] expected, ManagedTextDecoder decoder, ReadOnlySpan<float> returned, double tolerance, string where)
    {
        var logits = returned.ToArray();
        var scale = Math.Max(1.0, expected.Max(Math.Abs));
        var estimated = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var error = decoder.LogitErrors[i];
            estimated |= error > 0 ? 1 : 0;
            Assert.True(
                Math.Abs(expected[i] - logits[i]) <= error + (tolerance * scale),
                $"token {i} {where}: estimate {logits[i]} (error bound {error}), ONNX Runtime {expected[i]}");
            decoder.Refine(logits, i);
        }

        Assert.All(decoder.LogitErrors.ToArray(), error => Assert.Equal(0f, error));
        AssertClose(expected, logits, tolerance, where);
        return estimated;
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance, string where)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = 1.0;
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(expected[i]));
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }

        Assert.True(worst <= tolerance * scale, $"logits differ by up to {worst:g3} (scale {scale:g3}) {where}");
    }
}
