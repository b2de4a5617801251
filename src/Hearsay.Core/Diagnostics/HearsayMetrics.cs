using System.Diagnostics.Metrics;

namespace Hearsay.Core.Diagnostics;

/// <summary>
/// Hearsay's meter. Instruments are recorded by the engines; hosts and benchmarks observe them with OpenTelemetry or a
/// <see cref="MeterListener"/>.
/// </summary>
public static class HearsayMetrics
{
    /// <summary>The meter name to subscribe to.</summary>
    public const string MeterName = "Hearsay";

    /// <summary>Seconds spent turning text into phonemes (the espeak-ng process included).</summary>
    public const string PhonemizeDuration = "hearsay.tts.phonemize.duration";

    /// <summary>Seconds spent inside ONNX Runtime's <c>Run</c> for one sentence.</summary>
    public const string TtsInferenceDuration = "hearsay.tts.inference.duration";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Histogram<double> Phonemize =
        Meter.CreateHistogram<double>(PhonemizeDuration, "s", "Time to phonemize a text");

    internal static readonly Histogram<double> TtsInference =
        Meter.CreateHistogram<double>(TtsInferenceDuration, "s", "Time inside ONNX Runtime Run for one sentence");
}
