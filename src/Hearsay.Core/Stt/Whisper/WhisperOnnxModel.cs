using Hearsay.Core.Diagnostics;
using Hearsay.Core.Onnx;
using Hearsay.Core.Onnx.Protobuf;
using Hearsay.Core.Stt.Whisper.Model;
using Hearsay.Core.Stt.Whisper.TextDecoders;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Hearsay.Core.Stt.Whisper;

/// <summary>
/// A loaded sherpa-onnx Whisper export: the encoder session, and the decoder either as weights Hearsay runs itself
/// or, for files it cannot read, as an ONNX Runtime session. Thread-safe: each transcription creates its own
/// <see cref="WhisperDecoderState"/>.
/// </summary>
internal sealed class WhisperOnnxModel : IDisposable
{
    private readonly InferenceSession? _decoderSession;
    private readonly DecoderWeights? _decoderWeights;

    private WhisperOnnxModel(
        WhisperModelFiles files, WhisperModelInfo info, InferenceSession encoder, InferenceSession? decoderSession, DecoderWeights? decoderWeights)
    {
        Files = files;
        Info = info;
        Encoder = encoder;
        _decoderSession = decoderSession;
        _decoderWeights = decoderWeights;
    }

    public WhisperModelFiles Files { get; }

    public WhisperModelInfo Info { get; }

    public InferenceSession Encoder { get; }

    /// <summary>Which implementation runs the decoder.</summary>
    public WhisperDecoderBackend DecoderBackend => _decoderWeights is null ? WhisperDecoderBackend.OnnxRuntime : WhisperDecoderBackend.Hearsay;

    /// <summary>Loads the encoder and the decoder and checks them. Slow (parses and optimizes the graphs): call off the caller's thread.</summary>
    public static WhisperOnnxModel Load(WhisperModelFiles files, WhisperSessionOptions options, ILogger logger)
    {
        // ONNX Runtime optimizing the encoder's graph and Hearsay reading the decoder's weights (and building its logit
        // screen) take about as long each, so they run side by side: tiny.en loaded in 224-236 ms instead of 312-316. The
        // dimensions the decoder is checked against come from the encoder file's metadata, read without ONNX Runtime.
        var encoderFile = OpenEncoder(files.EncoderPath);
        WhisperModelInfo info;
        try
        {
            info = WhisperModelInfo.FromMetadata(encoderFile.Metadata, files.EncoderPath);
        }
        catch
        {
            encoderFile.Dispose();
            throw;
        }

        var encoderSession = Task.Run(() => CreateEncoderSession(encoderFile, info, options.Threads, logger));
        DecoderWeights? weights = null;
        InferenceSession? encoder = null;
        InferenceSession? decoder = null;
        try
        {
            if (options.Decoder != WhisperDecoderBackend.OnnxRuntime)
            {
                weights = ReadDecoderWeights(files, info, options, logger);
            }

            encoder = encoderSession.GetAwaiter().GetResult();
            RequireTensor(encoder, isInput: true, WhisperTensorNames.MelInput, typeof(float), files.EncoderPath);
            RequireTensor(encoder, isInput: false, WhisperTensorNames.CrossK, typeof(float), files.EncoderPath);
            RequireTensor(encoder, isInput: false, WhisperTensorNames.CrossV, typeof(float), files.EncoderPath);
            if (weights is not null)
            {
                return new WhisperOnnxModel(files, info, encoder, null, weights);
            }

            decoder = OnnxSessions.Create(files.DecoderPath, options.Threads);
            RequireTensor(decoder, isInput: true, WhisperTensorNames.TokensInput, typeof(long), files.DecoderPath);
            RequireTensor(decoder, isInput: true, WhisperTensorNames.OffsetInput, typeof(long), files.DecoderPath);
            foreach (var name in new[] { WhisperTensorNames.SelfKIn, WhisperTensorNames.SelfVIn, WhisperTensorNames.CrossK, WhisperTensorNames.CrossV })
            {
                RequireTensor(decoder, isInput: true, name, typeof(float), files.DecoderPath);
            }

            foreach (var name in new[] { WhisperTensorNames.LogitsOutput, WhisperTensorNames.SelfKOut, WhisperTensorNames.SelfVOut })
            {
                RequireTensor(decoder, isInput: false, name, typeof(float), files.DecoderPath);
            }

            return new WhisperOnnxModel(files, info, encoder, decoder, null);
        }
        catch
        {
            weights?.Dispose();
            decoder?.Dispose();
            if (encoder is null)
            {
                // The decoder failed first: the encoder's session is disposed when it is done, nobody waits for it.
                _ = encoderSession.ContinueWith(static task => task.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            }
            else
            {
                encoder.Dispose();
            }

            throw;
        }
    }

    /// <summary>A decoder over the cross-attention keys and values the encoder writes into the given arrays.</summary>
    public ITextDecoder CreateTextDecoder(float[] crossKeys, float[] crossValues) =>
        _decoderWeights is { } weights
            ? new ManagedTextDecoder(weights, crossKeys, crossValues)
            : new OnnxTextDecoder(_decoderSession!, Files.DecoderPath, DecoderDimensions.Of(Info), crossKeys, crossValues);

    public void Dispose()
    {
        Encoder.Dispose();
        _decoderSession?.Dispose();
        _decoderWeights?.Dispose();
    }

    /// <summary>The decoder's weights for Hearsay's own decoder; null (with a log line) when the file's graph is not one
    /// it knows and <see cref="WhisperDecoderBackend.Auto"/> allows ONNX Runtime instead.</summary>
    private static DecoderWeights? ReadDecoderWeights(WhisperModelFiles files, WhisperModelInfo info, WhisperSessionOptions options, ILogger logger)
    {
        try
        {
            return DecoderWeightsReader.Read(files.DecoderPath, DecoderDimensions.Of(info), options.Threads.Count);
        }
        catch (DecoderGraphException e) when (options.Decoder == WhisperDecoderBackend.Auto)
        {
            Log.WhisperDecoderOnOnnxRuntime(logger, files.DecoderPath, e.Message);
            return null;
        }
        catch (DecoderGraphException e)
        {
            throw new ModelLoadException(HearsayErrorCode.ModelInvalid, files.DecoderPath, $"cannot be run by Hearsay's decoder: {e.Message}", e);
        }
    }

    /// <summary>The encoder file, read without ONNX Runtime: its metadata, where a sherpa-onnx export keeps the model's
    /// dimensions and special tokens, and its graph.</summary>
    private static OnnxModelFile OpenEncoder(string encoderPath)
    {
        if (!File.Exists(encoderPath))
        {
            throw new ModelLoadException(HearsayErrorCode.ModelNotFound, encoderPath, "model file not found");
        }

        try
        {
            return OnnxModelFile.Open(encoderPath);
        }
        catch (InvalidDataException e)
        {
            throw new ModelLoadException(HearsayErrorCode.ModelInvalid, encoderPath, $"is not a valid ONNX model ({e.Message})", e);
        }
    }

    /// <summary>The encoder's session, its attention fused when the graph is the export Hearsay knows (ADR 0011);
    /// disposes <paramref name="encoderFile"/>.</summary>
    private static InferenceSession CreateEncoderSession(OnnxModelFile encoderFile, WhisperModelInfo info, EngineThreads threads, ILogger logger)
    {
        byte[]? fused;
        string reason;
        using (encoderFile)
        {
            fused = EncoderAttentionFusion.TryFuse(encoderFile, info.AudioHeads, out reason);
        }

        if (fused is null)
        {
            Log.WhisperEncoderAttentionUnfused(logger, encoderFile.Path, reason);
            return OnnxSessions.Create(encoderFile.Path, threads);
        }

        var session = OnnxSessions.Create(fused, encoderFile.Path, threads);
        // ONNX Runtime has its own copy now. Without a collection the rewritten file (38 MB for tiny.en) stayed resident
        // in the large object heap for the process's life: model loaded at 226 MiB instead of 181 (bench whisper-memory).
        fused = null;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return session;
    }

    private static void RequireTensor(InferenceSession session, bool isInput, string name, Type elementType, string path)
    {
        var map = isInput ? session.InputMetadata : session.OutputMetadata;
        if (!map.TryGetValue(name, out var metadata) || metadata.ElementType != elementType)
        {
            var kind = isInput ? "input" : "output";
            throw new ModelLoadException(
                HearsayErrorCode.ModelInvalid,
                path,
                $"is not a sherpa-onnx Whisper model: it has no {elementType.Name} {kind} '{name}'");
        }
    }
}
