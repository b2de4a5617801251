using System.Diagnostics;
using Hearsay.Core.Diagnostics;
using Hearsay.Core.Onnx;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace Hearsay.Core.Vad;

/// <summary>
/// A loaded Silero VAD model (v4, v5 or v6): one ONNX Runtime session, shared by every <see cref="SileroVadScorer"/>
/// (one per audio stream) created from it.
/// </summary>
/// <remarks>
/// Silero VAD scores 512-sample frames of 16 kHz mono audio; only 16 kHz is supported, so resample first.
/// Thread-safe: scorers of different audio streams may run concurrently on one model (each holds its own recurrent
/// state). Dispose the model after its scorers. Loading is synchronous: the model is about 2 MB and its session is ready in milliseconds.
/// </remarks>
public sealed class SileroVadModel : IDisposable
{
    /// <summary>The only sample rate the models are used at.</summary>
    public const int SampleRate = 16000;

    /// <summary>Samples per frame (32 ms at 16 kHz).</summary>
    public const int FrameSize = 512;

    /// <summary>Name under which the bundled model appears in errors and logs.</summary>
    public const string BundledModelName = "bundled:silero_vad.onnx (v6.2)";

    private const string BundledResource = "Hearsay.Core.Vad.Model.silero_vad.onnx";

    private int _disposed;

    private SileroVadModel(string source, InferenceSession session, SileroVadSignature signature)
    {
        Source = source;
        Session = session;
        Signature = signature;
    }

    /// <summary>The file the model came from, or a description for models loaded from memory.</summary>
    public string Source { get; }

    /// <summary>Which of Silero's model interfaces the file has.</summary>
    public SileroVadInterface Interface => Signature.Interface;

    internal InferenceSession Session { get; }

    internal SileroVadSignature Signature { get; }

    /// <summary>Loads a Silero VAD <c>.onnx</c> file; its interface (v4, or v5/v6) is read from the model.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <exception cref="ModelLoadException">The file is missing, not ONNX, or not a Silero VAD model.</exception>
    public static SileroVadModel Load(string path, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new ModelLoadException(HearsayErrorCode.ModelNotFound, fullPath, "Silero VAD model not found");
        }

        return Create(fullPath, options => new InferenceSession(fullPath, options), loggerFactory);
    }

    /// <summary>Loads a Silero VAD model from the bytes of an <c>.onnx</c> file.</summary>
    /// <param name="model">The model file's content.</param>
    /// <param name="name">What to call the model in errors and logs.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <exception cref="ModelLoadException">The bytes are not ONNX, or not a Silero VAD model; its path is <paramref name="name"/>.</exception>
    public static SileroVadModel Load(byte[] model, string name = "(in-memory model)", ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(name);
        return Create(name, options => new InferenceSession(model, options), loggerFactory);
    }

    /// <summary>Loads the Silero VAD v6.2 model embedded in Hearsay (MIT licence, see THIRD-PARTY-NOTICES).</summary>
    /// <param name="loggerFactory">Logging; none when null.</param>
    public static SileroVadModel LoadBundled(ILoggerFactory? loggerFactory = null)
    {
        using var resource = typeof(SileroVadModel).Assembly.GetManifestResourceStream(BundledResource)
            ?? throw new ModelLoadException(HearsayErrorCode.ModelNotFound, BundledModelName, "the embedded resource is missing from Hearsay.Core");
        var bytes = new byte[resource.Length];
        resource.ReadExactly(bytes);
        return Load(bytes, BundledModelName, loggerFactory);
    }

    /// <summary>Starts scoring a new audio stream: a scorer with its own recurrent state, zeroed.</summary>
    public SileroVadScorer CreateScorer()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return new SileroVadScorer(this);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Session.Dispose();
        }
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed != 0, this);

    private static SileroVadModel Create(string source, Func<SessionOptions, InferenceSession> open, ILoggerFactory? loggerFactory)
    {
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SileroVadModel>();
        var stopwatch = Stopwatch.StartNew();
        InferenceSession session;
        using (var options = CreateSessionOptions())
        {
            try
            {
                session = open(options);
            }
            catch (OnnxRuntimeException e)
            {
                throw new ModelLoadException(HearsayErrorCode.ModelInvalid, source, $"is not a valid ONNX model ({e.Message})", e);
            }
        }

        try
        {
            var signature = SileroVadSignature.Read(session, source);
            Log.VadModelLoaded(logger, source, signature.Interface, stopwatch.ElapsedMilliseconds);
            return new SileroVadModel(source, session, signature);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static SessionOptions CreateSessionOptions()
    {
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        try
        {
            EngineThreads.Vad.ApplyTo(options);
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }
}
