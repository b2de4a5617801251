namespace Hearsay.Core.Vad;

/// <summary>
/// How speech probabilities become <see cref="SpeechSegment"/>s: the parameters of Silero's
/// <c>get_speech_timestamps</c>, with its defaults.
/// </summary>
/// <remarks>
/// Durations become sample counts at 16 kHz, not rounded, and are compared as Silero compares them. Options are checked when a <see cref="VoiceActivityDetector"/> is created or
/// <see cref="SpeechTimestamps.FromProbabilities"/> runs; out-of-range values throw a <see cref="HearsayException"/>
/// with <see cref="HearsayErrorCode.InvalidInput"/>.
/// </remarks>
public sealed record VadOptions
{
    /// <summary>Default settings.</summary>
    public static readonly VadOptions Default = new();

    /// <summary>
    /// A frame whose speech probability is at least this is speech (it starts a segment, or ends a tentative silence).
    /// Above 0 and below 1.
    /// </summary>
    /// <value>The default is 0.5.</value>
    public float Threshold { get; init; } = 0.5f;

    /// <summary>
    /// Inside a segment, a frame whose probability is below this starts a (tentative) silence; frames between this and
    /// <see cref="Threshold"/> neither start nor end one. Above 0 and at most <see cref="Threshold"/>.
    /// </summary>
    /// <value>The default, null, is <see cref="Threshold"/> − 0.15, but at least 0.01 (Silero's rule).</value>
    public float? NegativeThreshold { get; init; }

    /// <summary>Segments ending in silence or at the end of the audio that are not longer than this are dropped.</summary>
    /// <value>The default is 250 ms.</value>
    public TimeSpan MinSpeechDuration { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A segment ends only after this much silence; shorter pauses stay inside it.</summary>
    /// <value>The default is 100 ms.</value>
    public TimeSpan MinSilenceDuration { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Each segment is widened by this much on both sides; when two segments are closer than twice this, the gap
    /// between them is split evenly instead.
    /// </summary>
    /// <value>The default is 30 ms.</value>
    public TimeSpan SpeechPad { get; init; } = TimeSpan.FromMilliseconds(30);

    /// <summary>
    /// The longest segment before padding is split: at a silence longer than <see cref="MinSilenceAtMaxSpeech"/> inside
    /// it if there is one (see <see cref="SplitAtLongestSilence"/>), otherwise cut hard. Must exceed twice
    /// <see cref="SpeechPad"/> + 32 ms (one frame), which Silero subtracts from it.
    /// </summary>
    /// <value>The default, null, is no limit.</value>
    public TimeSpan? MaxSpeechDuration { get; init; }

    /// <summary>The shortest silence a segment longer than <see cref="MaxSpeechDuration"/> may be split at.</summary>
    /// <value>The default is 98 ms (Silero's).</value>
    public TimeSpan MinSilenceAtMaxSpeech { get; init; } = TimeSpan.FromMilliseconds(98);

    /// <summary>
    /// When a segment reaches <see cref="MaxSpeechDuration"/>: true splits it at the longest silence seen in it, false at
    /// the last one (Silero's <c>use_max_poss_sil_at_max_speech</c>).
    /// </summary>
    /// <value>The default is true (Silero's default).</value>
    public bool SplitAtLongestSilence { get; init; } = true;
}
