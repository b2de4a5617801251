using Hearsay.Core.Vad;
using Hearsay.Testing;

namespace Hearsay.Core.IntegrationTests.Vad;

[Collection(SileroModels.Collection)]
public sealed class SileroVadModelTests(SileroModels models)
{
    [Theory]
    [InlineData("v4", SileroVadInterface.V4)]
    [InlineData("v5", SileroVadInterface.V5)]
    [InlineData("v6.2", SileroVadInterface.V5)]
    public void Load_RealModels_DetectsTheirInterface(string version, SileroVadInterface expected)
    {
        var capture = new CapturingLoggerFactory();
        using var model = SileroVadModel.Load(SileroModels.PathOf(version), capture);

        Assert.Equal(expected, model.Interface);
        Assert.Equal(SileroModels.PathOf(version), model.Source);
        Assert.Equal(1, capture.Count(1500));
    }

    [Fact]
    public async Task LoadBundled_IsSileroV62()
    {
        var jfk = await SoxAudio.ReadMono16kAsync(VadRecordings.Clip("jfk.wav"));
        using var bundled = SileroVadModel.LoadBundled();

        var fromBundle = SileroModels.Probabilities(bundled, jfk);

        Assert.Equal(SileroModels.Probabilities(models["v6.2"], jfk), fromBundle);
        Assert.Equal((SileroVadInterface.V5, SileroVadModel.BundledModelName), (bundled.Interface, bundled.Source));
    }

    [Fact]
    public async Task Load_FromBytes_ScoresAsFromTheFile()
    {
        var jfk = await SoxAudio.ReadMono16kAsync(VadRecordings.Clip("jfk.wav"));
        using var model = SileroVadModel.Load(File.ReadAllBytes(SileroModels.PathOf("v4")), "v4 bytes");

        Assert.Equal(SileroModels.Probabilities(models["v4"], jfk), SileroModels.Probabilities(model, jfk));
        Assert.Equal((SileroVadInterface.V4, "v4 bytes"), (model.Interface, model.Source));
    }

    [Fact]
    public void Load_NonAsciiPath_Loads()
    {
        using var folder = new TemporaryDirectory();
        var path = folder.File("stimme-ü-声.onnx");
        File.Copy(SileroModels.PathOf("v5"), path);

        using var model = SileroVadModel.Load(path);
        using var scorer = model.CreateScorer();

        Assert.InRange(scorer.Process(new float[SileroVadModel.FrameSize]), 0f, 0.5f);
    }

    [Fact]
    public void Load_TruncatedModel_ThrowsModelInvalidNamingTheFile()
    {
        using var folder = new TemporaryDirectory();
        var path = folder.File("truncated.onnx");
        File.WriteAllBytes(path, [.. File.ReadAllBytes(SileroModels.PathOf("v5")).Take(100_000)]);

        var error = Assert.Throws<ModelLoadException>(() => SileroVadModel.Load(path));

        Assert.Equal((HearsayErrorCode.ModelInvalid, path), (error.Code, error.FilePath));
        Assert.StartsWith("is not a valid ONNX model", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TruncatedBytes_ThrowsModelInvalidNamingThem()
    {
        var bytes = File.ReadAllBytes(SileroModels.PathOf("v6.2"))[..5000];

        var error = Assert.Throws<ModelLoadException>(() => SileroVadModel.Load(bytes, "downloaded model"));

        Assert.Equal((HearsayErrorCode.ModelInvalid, "downloaded model"), (error.Code, error.FilePath));
    }

    [Fact]
    public void Load_PiperVoice_ThrowsModelInvalidSayingWhatIsExpected()
    {
        var voice = PiperExpectations.SingleSpeakerVoice;

        var error = Assert.Throws<ModelLoadException>(() => SileroVadModel.Load(voice));

        Assert.Equal((HearsayErrorCode.ModelInvalid, voice), (error.Code, error.FilePath));
        Assert.Equal(
            "is not a Silero VAD model: expected inputs 'input', 'sr', 'state' and outputs 'output', 'stateN' (v5/v6), " +
            "or inputs 'input', 'sr', 'h', 'c' and outputs 'output', 'hn', 'cn' (v4); it has inputs 'input' (Int64 [-1, -1]), " +
            "'input_lengths' (Int64 [-1]), 'scales' (Single [3]) and outputs 'output' (Single [-1, 1, -1])",
            error.Problem);
    }

    [Fact]
    public void Load_MissingFile_ThrowsModelNotFound()
    {
        using var folder = new TemporaryDirectory();
        var path = folder.File("absent.onnx");

        var error = Assert.Throws<ModelLoadException>(() => SileroVadModel.Load(path));

        Assert.Equal((HearsayErrorCode.ModelNotFound, path), (error.Code, error.FilePath));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(511)]
    [InlineData(513)]
    [InlineData(576)]
    public void Process_NotOneFrame_Throws(int length)
    {
        using var scorer = models["v6.2"].CreateScorer();

        var error = Assert.Throws<ArgumentException>(() => scorer.Process(new float[length]));

        Assert.Contains($"got {length}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v4")]
    [InlineData("v5")]
    [InlineData("v6.2")]
    public async Task Reset_ThenTheSameAudio_GivesTheSameProbabilities(string version)
    {
        var audio = await SoxAudio.ReadMono16kAsync(VadRecordings.Clip("ps_goforward.wav"));
        using var scorer = models[version].CreateScorer();
        var first = Score(scorer, audio);

        scorer.Reset();
        var second = Score(scorer, audio);

        Assert.Equal(first, second);
        Assert.Equal(SileroModels.Probabilities(models[version], audio.AsSpan(0, first.Length * SileroVadModel.FrameSize)), first);
        Assert.Equal(first.Length, scorer.FrameCount);
    }

    [Fact]
    public async Task Process_ConcurrentScorersOnOneModel_KeepTheirOwnState()
    {
        var model = models["v5"];
        string[] clips = ["jfk.wav", "ps_goforward.wav", "lj_LJ001-0002.wav", "cathy_arctic_a0038.wav"];
        var audio = await Task.WhenAll(clips.Select(c => SoxAudio.ReadMono16kAsync(VadRecordings.Clip(c))));
        var sequential = audio.Select(a => SileroModels.Probabilities(model, a)).ToArray();

        var concurrent = await Task.WhenAll(audio.Select(a => Task.Run(() => SileroModels.Probabilities(model, a))));

        Assert.Equal(sequential, concurrent);
    }

    [Theory]
    [InlineData("v4")]
    [InlineData("v6.2")]
    public void Process_ManyFrames_AllocatesNothing(string version)
    {
        using var scorer = models[version].CreateScorer();
        var frame = new float[SileroVadModel.FrameSize];
        scorer.Process(frame);
        const int Frames = 2000;

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Frames; i++)
        {
            frame[i % frame.Length] = 0.01f;
            scorer.Process(frame);
        }

        // The tensors are bound once; a plain Run would marshal names and handles each time (about 300 bytes a frame).
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1024, $"{allocated} bytes allocated for {Frames} frames.");
    }

    [Fact]
    public void Process_AfterDispose_Throws()
    {
        using var model = SileroVadModel.Load(SileroModels.PathOf("v5"));
        var scorer = model.CreateScorer();
        scorer.Dispose();
        scorer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => scorer.Process(new float[SileroVadModel.FrameSize]));
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.CreateScorer());
    }

    private static float[] Score(SileroVadScorer scorer, float[] audio)
    {
        var frames = audio.Length / SileroVadModel.FrameSize;
        return [.. Enumerable.Range(0, frames).Select(i => scorer.Process(audio.AsSpan(i * SileroVadModel.FrameSize, SileroVadModel.FrameSize)))];
    }
}
