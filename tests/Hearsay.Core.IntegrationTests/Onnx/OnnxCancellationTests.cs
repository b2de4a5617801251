using System.Diagnostics;
using Hearsay.Core.Onnx;
using Hearsay.Testing;
using Microsoft.ML.OnnxRuntime;

namespace Hearsay.Core.IntegrationTests.Onnx;

/// <summary>Cancellation reaches a running model: the shared run helper the Whisper encoder and decoder go through.</summary>
public class OnnxCancellationTests
{
    [Fact]
    public void Run_CancelledWhileTheEncoderRuns_TerminatesTheRun()
    {
        var encoder = Path.Combine(WhisperExpectations.ModelDirectory("tiny-en"), "tiny-en-encoder.onnx");
        using var session = OnnxSessions.Create(encoder, EngineThreads.Default);
        // A batch of 96 windows keeps even the tiny encoder busy for seconds, so the cancel lands inside Run.
        const int batch = 96;
        var outputShape = new long[] { 2, batch, 1500, 16 };
        using var mel = OrtValue.CreateTensorValueFromMemory(new float[batch * 80 * 3000], [batch, 80, 3000]);
        using var crossK = OrtValue.CreateTensorValueFromMemory(new float[2 * batch * 1500 * 16], outputShape);
        using var crossV = OrtValue.CreateTensorValueFromMemory(new float[2 * batch * 1500 * 16], outputShape);
        using var cancellation = new CancellationTokenSource();
        // A plain thread, not a timer: under CPU load the thread pool may deliver a timer after Run has finished.
        var canceller = new Thread(() =>
        {
            Thread.Sleep(100);
            cancellation.Cancel();
        });
        var stopwatch = Stopwatch.StartNew();
        canceller.Start();

        var error = Assert.Throws<OperationCanceledException>(() => OnnxSessions.Run(
            session, encoder, ["mel"], [mel], ["n_layer_cross_k", "n_layer_cross_v"], [crossK, crossV], cancellation.Token));

        canceller.Join();
        Assert.IsType<OnnxRuntimeException>(error.InnerException);
        Assert.Equal(cancellation.Token, error.CancellationToken);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"took {stopwatch.Elapsed}");
    }
}
