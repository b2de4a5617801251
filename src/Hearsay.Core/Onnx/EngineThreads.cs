using Microsoft.ML.OnnxRuntime;

namespace Hearsay.Core.Onnx;

/// <summary>
/// The threads one model run may use, and whether they spin while they wait: the one place that decides them for
/// every ONNX Runtime session Hearsay opens (Whisper's encoder and decoder, the Piper voice, the Silero VAD) and for
/// Hearsay's own Whisper decoder.
/// </summary>
/// <remarks>
/// Each loaded model has its own pool of <see cref="Count"/> threads, used only while one of its runs is in flight:
/// Whisper and Piper loaded together do not add up to more busy threads unless both run at once.
/// </remarks>
public sealed record EngineThreads
{
    /// <summary>The most threads <see cref="Default"/> takes, whatever the machine.</summary>
    public const int DefaultLimit = 4;

    private readonly int _count = Math.Min(DefaultLimit, Environment.ProcessorCount);

    /// <summary>
    /// min(4, cores), no spinning. Hearsay is a sidecar: the desktop app it serves runs beside it, so it does not take
    /// every core as ONNX Runtime's own default (the physical cores) does; four is whisper.cpp's default too. The cores
    /// are <see cref="Environment.ProcessorCount"/>, which honours the process's affinity and a container's CPU limit.
    /// Piper gains from a second thread too: on two cores its medium voice spoke three sentences in 190-230 ms with
    /// two threads against 290-350 ms with one (with the machine busier, both took 330-410 ms).
    /// </summary>
    public static EngineThreads Default { get; } = new();

    /// <summary>
    /// The Silero VAD's: one thread, whatever <c>--threads</c> says. A frame is a few microseconds of arithmetic, so
    /// waking a second thread costs more than it saves, and the VAD runs beside Whisper, which has the cores.
    /// </summary>
    internal static EngineThreads Vad { get; } = new() { Count = 1 };

    /// <summary>Threads per model run (ONNX Runtime's intra-op threads; the rows Hearsay's decoder splits its work into).</summary>
    /// <value>
    /// Default min(4, cores). A larger value is lowered to the core count: threads beyond the cores only wait for each
    /// other.
    /// </value>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int Count
    {
        get => _count;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _count = Math.Min(value, Environment.ProcessorCount);
        }
    }

    /// <summary>
    /// Whether ONNX Runtime's threads spin while waiting for work. Spinning can save microseconds per run but burns
    /// the CPU that feature extraction, voice activity detection, the phonemizer, other requests and the app beside
    /// the sidecar need. On two cores it made the log-mel of a Whisper window take 34 ms instead of 20 ms, with no gain
    /// in decoder time; with other work running (load 3-6), the medium Piper voice's three sentences took 1.4-2.9
    /// times as long with spinning in 11 of 14 back-to-back pairs, as long in 2, and 0.6 times as long in 1.
    /// </summary>
    /// <value>Default false.</value>
    public bool AllowSpinning { get; init; }

    /// <summary><paramref name="count"/> threads, or <see cref="Default"/> when it is null.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public static EngineThreads Of(int? count) => count is { } threads ? Default with { Count = threads } : Default;

    /// <summary>Sets a session's intra-op threads and spinning.</summary>
    internal void ApplyTo(SessionOptions options)
    {
        options.IntraOpNumThreads = Count;
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", AllowSpinning ? "1" : "0");
    }
}
