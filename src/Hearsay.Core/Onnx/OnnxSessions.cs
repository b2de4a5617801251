using Microsoft.ML.OnnxRuntime;

namespace Hearsay.Core.Onnx;

/// <summary>Creates ONNX Runtime sessions and runs them with Hearsay's error and cancellation conventions.</summary>
internal static class OnnxSessions
{
    /// <summary>Opens a model; a file that is not a valid model becomes a <see cref="ModelLoadException"/>.</summary>
    /// <param name="modelPath">The <c>.onnx</c> file.</param>
    /// <param name="threads">Threads per run and their spinning.</param>
    public static InferenceSession Create(string modelPath, EngineThreads threads)
    {
        if (!File.Exists(modelPath))
        {
            throw new ModelLoadException(HearsayErrorCode.ModelNotFound, modelPath, "model file not found");
        }

        return Create(modelPath, threads, options => new InferenceSession(modelPath, options));
    }

    /// <summary>Opens a model Hearsay rewrote in memory from <paramref name="modelPath"/>.</summary>
    /// <param name="model">The model's bytes.</param>
    /// <param name="modelPath">The file it was read from, for messages.</param>
    /// <param name="threads">Threads per run and their spinning.</param>
    public static InferenceSession Create(byte[] model, string modelPath, EngineThreads threads) =>
        Create(modelPath, threads, options => new InferenceSession(model, options));

    private static InferenceSession Create(string modelPath, EngineThreads threads, Func<SessionOptions, InferenceSession> open)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        threads.ApplyTo(options);
        // No memory pattern: it plans one block per input shape and allocates it beside what the arena already holds.
        // A voice's pieces have ever new lengths, so its arena fragmented (ADR 0009); Whisper's encoder has one shape,
        // yet its second run still added the planned block to the first run's arena: 120 MB more resident (tiny.en),
        // and the runs were slower, not faster (bench whisper-memory, transcribe).
        options.EnableMemoryPattern = false;

        try
        {
            return open(options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException(HearsayErrorCode.ModelInvalid, modelPath, $"is not a valid ONNX model ({e.Message})", e);
        }
    }

    /// <summary>
    /// Runs <paramref name="session"/> into pre-allocated outputs. Cancellation sets ONNX Runtime's terminate flag, so
    /// a long run stops within milliseconds; a failure becomes <see cref="HearsayErrorCode.InferenceFailed"/>.
    /// </summary>
    public static void Run(
        InferenceSession session,
        string modelPath,
        IReadOnlyCollection<string> inputNames,
        IReadOnlyCollection<OrtValue> inputs,
        IReadOnlyCollection<string> outputNames,
        IReadOnlyCollection<OrtValue> outputs,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
        try
        {
            session.Run(runOptions, inputNames, inputs, outputNames, outputs);
        }
        catch (OnnxRuntimeException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The inference was terminated.", e, cancellationToken);
        }
        catch (OnnxRuntimeException e)
        {
            throw new HearsayException(HearsayErrorCode.InferenceFailed, $"The model {modelPath} failed to run: {e.Message}", e);
        }

        // A cancellation that arrives after ONNX Runtime's last terminate check still means "cancelled".
        cancellationToken.ThrowIfCancellationRequested();
    }
}
