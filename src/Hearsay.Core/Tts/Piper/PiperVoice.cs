using System.Diagnostics;
using Hearsay.Core.Diagnostics;
using Hearsay.Core.Onnx;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace Hearsay.Core.Tts.Piper;

/// <summary>
/// A loaded Piper voice: its configuration and one ONNX Runtime session, reused by every call.
/// </summary>
/// <remarks>
/// Thread-safe: concurrent <see cref="InferAsync"/> calls take turns on the voice's own thread
/// (<see cref="InferenceThread"/>), so the memory of all of them together is that of one. Dispose once no call is running.
/// </remarks>
public sealed class PiperVoice : IDisposable
{
    private const string InputIds = "input";
    private const string InputLengths = "input_lengths";
    private const string InputScales = "scales";
    private const string InputSpeaker = "sid";
    private const string Output = "output";

    private readonly InferenceSession _session;
    private readonly InferenceThread _thread = new("Piper inference");
    private readonly bool _takesSpeakerId;
    private int _disposed;

    private PiperVoice(string modelPath, PiperVoiceConfig config, InferenceSession session, bool takesSpeakerId)
    {
        ModelPath = modelPath;
        Config = config;
        _session = session;
        _takesSpeakerId = takesSpeakerId;
    }

    /// <summary>Full path of the <c>.onnx</c> file.</summary>
    public string ModelPath { get; }

    /// <summary>The voice's settings.</summary>
    public PiperVoiceConfig Config { get; }

    /// <summary>Loads <c>VOICE.onnx</c> and its <c>VOICE.onnx.json</c>.</summary>
    /// <param name="modelPath">The <c>.onnx</c> model.</param>
    /// <param name="configPath">The config; <c>null</c> means <paramref name="modelPath"/> + <c>.json</c>.</param>
    /// <param name="threads">Threads per inference; <c>null</c> means <see cref="EngineThreads.Default"/>.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <exception cref="ModelLoadException">A file is missing, corrupt, or not a Piper voice.</exception>
    public static async Task<PiperVoice> LoadAsync(
        string modelPath,
        string? configPath = null,
        EngineThreads? threads = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PiperVoice>();
        var stopwatch = Stopwatch.StartNew();
        var fullModelPath = Path.GetFullPath(modelPath);
        if (!File.Exists(fullModelPath))
        {
            throw new ModelLoadException(HearsayErrorCode.ModelNotFound, fullModelPath, "voice model not found");
        }

        var config = PiperVoiceConfig.Load(configPath ?? fullModelPath + ".json");
        // Session creation parses and optimizes the whole model: seconds for large voices, so off the caller's thread.
        threads ??= EngineThreads.Default;
        var session = await Task.Run(() => OnnxSessions.Create(fullModelPath, threads), cancellationToken).ConfigureAwait(false);
        try
        {
            var takesSpeakerId = ValidateInterface(session, fullModelPath, config);
            Log.VoiceLoaded(logger, fullModelPath, config.SampleRate, config.SpeakerCount, threads.Count, stopwatch.ElapsedMilliseconds);
            return new PiperVoice(fullModelPath, config, session, takesSpeakerId);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the model on one sentence's phoneme ids and returns its raw audio at <see cref="PiperVoiceConfig.SampleRate"/>.
    /// </summary>
    /// <param name="phonemeIds">The sentence's ids, BOS and EOS included.</param>
    /// <param name="scales">Noise and length scales.</param>
    /// <param name="speakerId">The speaker for multi-speaker voices; ignored (may be null) otherwise.</param>
    /// <param name="cancellationToken">Stops the running inference (ONNX Runtime's terminate flag), or the wait for its turn.</param>
    /// <exception cref="HearsayException">The model failed while running.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<float[]> InferAsync(
        ReadOnlyMemory<long> phonemeIds, PiperScales scales, int? speakerId, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (phonemeIds.IsEmpty)
        {
            throw new ArgumentException("At least one phoneme id is needed.", nameof(phonemeIds));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var ids = phonemeIds.ToArray();
        return _thread.RunAsync(() => Infer(ids, scales, speakerId ?? 0, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _thread.Dispose();
            _session.Dispose();
        }
    }

    private float[] Infer(long[] ids, PiperScales scales, int speakerId, CancellationToken cancellationToken)
    {
        var names = new List<string> { InputIds, InputLengths, InputScales };
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [1, ids.Length]);
        using var lengthValue = OrtValue.CreateTensorValueFromMemory(new long[] { ids.Length }, [1]);
        using var scalesValue = OrtValue.CreateTensorValueFromMemory(
            new[] { scales.NoiseScale, scales.LengthScale, scales.NoiseW }, [3]);
        using var speakerValue = OrtValue.CreateTensorValueFromMemory(new long[] { speakerId }, [1]);
        var values = new List<OrtValue> { idsValue, lengthValue, scalesValue };
        if (_takesSpeakerId)
        {
            names.Add(InputSpeaker);
            values.Add(speakerValue);
        }

        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var outputs = _session.Run(runOptions, names, values, [Output]);
            // A cancellation that arrives after ONNX Runtime's last terminate check still means "cancelled".
            cancellationToken.ThrowIfCancellationRequested();
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }
        catch (OnnxRuntimeException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The inference was terminated.", e, cancellationToken);
        }
        catch (OnnxRuntimeException e)
        {
            throw new HearsayException(HearsayErrorCode.InferenceFailed, $"The voice {ModelPath} failed to run: {e.Message}", e);
        }
        finally
        {
            HearsayMetrics.TtsInference.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>Checks the model has Piper's inputs and output; returns whether it takes a speaker id.</summary>
    private static bool ValidateInterface(InferenceSession session, string modelPath, PiperVoiceConfig config)
    {
        var inputs = session.InputMetadata;
        foreach (var (name, type) in new[]
        {
            (InputIds, typeof(long)), (InputLengths, typeof(long)), (InputScales, typeof(float)),
        })
        {
            if (!inputs.TryGetValue(name, out var metadata) || metadata.ElementType != type)
            {
                throw NotPiper(modelPath, $"has no {type.Name} input '{name}'");
            }
        }

        if (!session.OutputMetadata.TryGetValue(Output, out var output) || output.ElementType != typeof(float))
        {
            throw NotPiper(modelPath, $"has no float output '{Output}'");
        }

        var takesSpeakerId = inputs.ContainsKey(InputSpeaker);
        if (config.IsMultiSpeaker && !takesSpeakerId)
        {
            throw NotPiper(modelPath, $"has no '{InputSpeaker}' input, but its config declares {config.SpeakerCount} speakers");
        }

        return takesSpeakerId;
    }

    private static ModelLoadException NotPiper(string modelPath, string problem) =>
        new(HearsayErrorCode.ModelInvalid, modelPath, $"is not a Piper voice: the model {problem}");
}
