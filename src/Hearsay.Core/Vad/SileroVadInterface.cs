namespace Hearsay.Core.Vad;

/// <summary>The two input/output layouts Silero VAD models have been published with.</summary>
public enum SileroVadInterface
{
    /// <summary>
    /// Silero VAD v4: <c>input</c> float [1, 512], <c>sr</c> int64, LSTM state <c>h</c> and <c>c</c> float [2, 1, 64]
    /// → <c>output</c> [1, 1], <c>hn</c>, <c>cn</c>.
    /// </summary>
    V4,

    /// <summary>
    /// Silero VAD v5 and v6: <c>input</c> float [1, 576] (the previous frame's last 64 samples, then the 512 new ones),
    /// <c>state</c> float [2, 1, 128], <c>sr</c> int64 → <c>output</c> [1, 1], <c>stateN</c>.
    /// </summary>
    V5,
}
