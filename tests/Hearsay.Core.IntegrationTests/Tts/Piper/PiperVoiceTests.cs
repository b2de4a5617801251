using System.Diagnostics;
using Hearsay.Core.Tts.Piper;
using Hearsay.Testing;
using Microsoft.ML.OnnxRuntime;

namespace Hearsay.Core.IntegrationTests.Tts.Piper;

public sealed class PiperVoiceTests
{
    private static readonly IReadOnlyList<ExpectedSynthesis> Expected = PiperExpectations.Synthesis();

    public static TheoryData<int> ExpectedCases => [.. Enumerable.Range(0, Expected.Count)];

    private static string ModelPath(string voice) => TestPaths.RepoAsset("piper", voice + ".onnx");

    [Theory]
    [MemberData(nameof(ExpectedCases))]
    public async Task InferAsync_NoiseOff_EqualsPyTorchReference(int index)
    {
        var expected = Expected[index];
        using var voice = await PiperVoice.LoadAsync(ModelPath(expected.Voice));

        var audio = await voice.InferAsync(expected.Ids, new PiperScales(0, expected.LengthScale, 0), expected.SpeakerId);

        AssertClose(expected.Samples, audio);
    }

    [Fact]
    public async Task InferAsync_DifferentSpeakers_ProduceDifferentAudio()
    {
        using var voice = await PiperVoice.LoadAsync(PiperExpectations.MultiSpeakerVoice);
        var ids = Expected.First(e => e.Voice == "tiny-multi").Ids;
        var scales = new PiperScales(0, 1, 0);

        var first = await voice.InferAsync(ids, scales, 0);
        var second = await voice.InferAsync(ids, scales, 3);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task InferAsync_NoiseOn_VariesBetweenRuns()
    {
        using var voice = await PiperVoice.LoadAsync(PiperExpectations.SingleSpeakerVoice);
        var ids = Expected[0].Ids;
        var scales = new PiperScales(0.667f, 1, 0.8f);

        var first = await voice.InferAsync(ids, scales, null);
        var second = await voice.InferAsync(ids, scales, null);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task InferAsync_ConcurrentCalls_ShareTheSessionSafely()
    {
        using var voice = await PiperVoice.LoadAsync(PiperExpectations.SingleSpeakerVoice);
        var cases = Expected.Where(e => e.Voice == "tiny-single").ToList();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
        {
            var expected = cases[i % cases.Count];
            return voice.InferAsync(expected.Ids, new PiperScales(0, expected.LengthScale, 0), null);
        }));

        for (var i = 0; i < results.Length; i++)
        {
            AssertClose(cases[i % cases.Count].Samples, results[i]);
        }
    }

    [Fact]
    public async Task InferAsync_CancelledDuringRun_TerminatesTheRunningInference()
    {
        using var voice = await PiperVoice.LoadAsync(PiperExpectations.SingleSpeakerVoice);
        // A long input at a slow speed keeps ONNX Runtime busy for a few hundred milliseconds.
        var ids = Enumerable.Range(0, 1500).Select(i => (long)(14 + (i % 20))).ToArray();
        var scales = new PiperScales(0, 4, 0);
        // The first run also pays for ONNX Runtime's first-use allocations (1.4 s against 0.15 s in one CI run), so the
        // run the cancellation is timed against is the second.
        await voice.InferAsync(ids, scales, null);
        var stopwatch = Stopwatch.StartNew();
        await voice.InferAsync(ids, scales, null);
        var uncancelled = stopwatch.Elapsed;

        // Under heavy CPU load the cancelling thread can wake only after the run has ended; a few attempts keep
        // that scheduling accident from deciding the test, while each attempt still has to be cut short to count.
        string outcome = "";
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            using var cancellation = new CancellationTokenSource();
            // A plain thread, not a timer: under CPU load the thread pool can deliver a timer long after it is due.
            var canceller = new Thread(() =>
            {
                Thread.Sleep(uncancelled / 10);
                cancellation.Cancel();
            });
            stopwatch.Restart();
            var inference = voice.InferAsync(ids, scales, null, cancellation.Token);
            canceller.Start();

            Exception? error = null;
            try
            {
                await inference;
            }
            catch (OperationCanceledException cancelled)
            {
                error = cancelled;
            }
            finally
            {
                canceller.Join();
            }

            // The terminate flag stopped ONNX Runtime inside Run: its own error is the cause.
            if (error?.InnerException is OnnxRuntimeException)
            {
                return;
            }

            outcome += $" attempt {attempt}: {(error is null ? "finished" : "cancelled outside Run")} after {stopwatch.Elapsed.TotalMilliseconds:0} ms;";
        }

        Assert.Fail($"Run was not terminated (uncancelled {uncancelled.TotalMilliseconds:0} ms):{outcome}");
    }

    [Fact]
    public async Task InferAsync_AfterDispose_Throws()
    {
        var voice = await PiperVoice.LoadAsync(PiperExpectations.SingleSpeakerVoice);
        voice.Dispose();
        voice.Dispose();

        Assert.Throws<ObjectDisposedException>(() => { _ = voice.InferAsync(Expected[0].Ids, new PiperScales(0, 1, 0), null); });
    }

    [Fact]
    public async Task LoadAsync_NonAsciiPath_LoadsAndRuns()
    {
        using var folder = new TemporaryDirectory();
        var model = PlaceVoice(folder, "stimme-ü-声.onnx", PiperExpectations.SingleSpeakerVoice, PiperExpectations.SingleSpeakerVoice);
        using var voice = await PiperVoice.LoadAsync(model);

        var audio = await voice.InferAsync(Expected[0].Ids, new PiperScales(0, 1, 0), null);

        AssertClose(Expected[0].Samples, audio);
        Assert.Equal(model, voice.ModelPath);
    }

    [Fact]
    public async Task LoadAsync_CorruptModel_ThrowsModelInvalidNamingTheFile()
    {
        using var folder = new TemporaryDirectory();
        var model = PlaceVoice(folder, "broken.onnx", PiperExpectations.SingleSpeakerVoice, PiperExpectations.SingleSpeakerVoice);
        await File.WriteAllBytesAsync(model, [.. File.ReadAllBytes(PiperExpectations.SingleSpeakerVoice).Take(5000)]);

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => PiperVoice.LoadAsync(model));

        Assert.Equal(HearsayErrorCode.ModelInvalid, error.Code);
        Assert.Equal(model, error.FilePath);
        Assert.StartsWith("is not a valid ONNX model", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_OnnxModelThatIsNotAVoice_SaysWhatIsMissing()
    {
        using var folder = new TemporaryDirectory();
        var model = PlaceVoice(folder, "vad.onnx", TestPaths.SharedFile("vad", "silero_vad_v5.onnx"), PiperExpectations.SingleSpeakerVoice);

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => PiperVoice.LoadAsync(model));

        Assert.Equal(HearsayErrorCode.ModelInvalid, error.Code);
        Assert.Equal("is not a Piper voice: the model has no Int64 input 'input'", error.Problem);
    }

    [Fact]
    public async Task LoadAsync_MultiSpeakerConfigForSingleSpeakerModel_IsRejected()
    {
        using var folder = new TemporaryDirectory();
        var model = PlaceVoice(folder, "mismatch.onnx", PiperExpectations.SingleSpeakerVoice, PiperExpectations.MultiSpeakerVoice);

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => PiperVoice.LoadAsync(model));

        Assert.Equal("is not a Piper voice: the model has no 'sid' input, but its config declares 4 speakers", error.Problem);
    }

    [Fact]
    public async Task LoadAsync_MissingFiles_ThrowModelNotFound()
    {
        using var folder = new TemporaryDirectory();
        var model = folder.File("voice.onnx");

        var missingModel = await Assert.ThrowsAsync<ModelLoadException>(() => PiperVoice.LoadAsync(model));
        File.Copy(PiperExpectations.SingleSpeakerVoice, model);
        var missingConfig = await Assert.ThrowsAsync<ModelLoadException>(() => PiperVoice.LoadAsync(model));

        Assert.Equal((HearsayErrorCode.ModelNotFound, model), (missingModel.Code, missingModel.FilePath));
        Assert.Equal((HearsayErrorCode.ModelNotFound, model + ".json"), (missingConfig.Code, missingConfig.FilePath));
    }

    /// <summary>Copies a model, and the config of <paramref name="configOf"/>, into <paramref name="folder"/> as <paramref name="name"/>.</summary>
    private static string PlaceVoice(TemporaryDirectory folder, string name, string modelSource, string configOf)
    {
        var model = folder.File(name);
        File.Copy(modelSource, model);
        File.Copy(configOf + ".json", model + ".json");
        return model;
    }

    internal static void AssertClose(float[] expected, float[] actual, float tolerance = 1e-4f)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => MathF.Abs(e - a)).Max();
        Assert.True(worst <= tolerance, $"Largest sample difference {worst} exceeds {tolerance}.");
    }
}
