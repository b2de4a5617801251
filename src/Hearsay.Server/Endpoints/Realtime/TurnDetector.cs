using Hearsay.Core.Vad;

namespace Hearsay.Server.Endpoints.Realtime;

/// <summary>
/// Server VAD on Silero's per-frame speech probabilities, as the audio arrives. Speech starts at the first frame at or
/// above the threshold; it stops once the probability has stayed below the negative threshold (threshold − 0.15, at
/// least 0.01, Silero's rule) for the silence duration. Frames in between neither start nor end a silence, as in
/// Silero's segmentation. A silence that has lasted <see cref="PauseBeforeEarlyMs"/> (or half the silence duration,
/// when that is shorter) is reported as a pause, so the utterance can be decoded while the rest of the silence is
/// confirmed; speech before the stop resumes it.
/// </summary>
/// <remarks>
/// <see cref="VoiceActivityDetector"/> yields a segment only once it has ended, and OpenAI's
/// <c>input_audio_buffer.speech_started</c> is due as soon as speech begins, so the session scores frames itself with the
/// same model and the same thresholds.
/// </remarks>
internal sealed class TurnDetector(SileroVadScorer scorer, TurnDetectionSettings settings) : IDisposable
{
    private const int Frame = SileroVadModel.FrameSize;

    /// <summary>
    /// How long a silence lasts before it is reported as a pause: long enough that most pauses within a sentence
    /// (Silero scores a few frames low there) do not start a decode, short enough to save most of the silence duration.
    /// </summary>
    private const int PauseBeforeEarlyMs = 200;

    private readonly float _negativeThreshold = Math.Max(settings.Threshold - 0.15f, 0.01f);
    private readonly long _silenceSamples = (long)settings.SilenceDurationMs * SileroVadModel.SampleRate / 1000;
    private readonly long _pauseSamples = (long)Math.Min(PauseBeforeEarlyMs, settings.SilenceDurationMs / 2) * SileroVadModel.SampleRate / 1000;
    private readonly float[] _frame = new float[Frame];
    private int _frameCount;
    private long _position;
    private long _silenceStart = -1;
    private bool _pausing;

    /// <summary>Whether speech is going on.</summary>
    public bool InSpeech { get; private set; }

    /// <summary>Scores <paramref name="samples"/> (16 kHz, following what came before) and reports each start and stop.</summary>
    /// <param name="samples">The next samples of the session's audio.</param>
    /// <param name="turns">Receives a start or stop with its position in the session's 16 kHz samples.</param>
    public void Push(ReadOnlySpan<float> samples, Action<TurnChange, long> turns)
    {
        while (!samples.IsEmpty)
        {
            var take = Math.Min(Frame - _frameCount, samples.Length);
            samples[..take].CopyTo(_frame.AsSpan(_frameCount));
            _frameCount += take;
            samples = samples[take..];
            if (_frameCount < Frame)
            {
                return;
            }

            _frameCount = 0;
            var frameStart = _position;
            _position += Frame;
            Score(scorer.Process(_frame), frameStart, turns);
        }
    }

    /// <summary>Forgets the speech state (after a commit or clear); the audio position goes on.</summary>
    public void EndTurn()
    {
        InSpeech = false;
        _silenceStart = -1;
        _pausing = false;
    }

    public void Dispose() => scorer.Dispose();

    private void Score(float probability, long frameStart, Action<TurnChange, long> turns)
    {
        if (probability >= settings.Threshold)
        {
            _silenceStart = -1;
            if (_pausing)
            {
                _pausing = false;
                turns(TurnChange.Resumed, frameStart);
            }

            if (!InSpeech)
            {
                InSpeech = true;
                turns(TurnChange.Started, frameStart);
            }

            return;
        }

        if (!InSpeech)
        {
            return;
        }

        if (probability < _negativeThreshold && _silenceStart < 0)
        {
            _silenceStart = frameStart;
        }

        if (_silenceStart >= 0 && _position - _silenceStart >= _silenceSamples)
        {
            EndTurn();
            turns(TurnChange.Stopped, _position);
        }
        else if (_silenceStart >= 0 && !_pausing && _position - _silenceStart >= _pauseSamples)
        {
            _pausing = true;
            turns(TurnChange.Paused, _position);
        }
    }
}

/// <summary>A change of the speech state.</summary>
internal enum TurnChange
{
    Started,

    /// <summary>Silence for a while, not yet long enough to stop; the position is where the pause was reported.</summary>
    Paused,

    /// <summary>Speech again after <see cref="Paused"/>, before the stop.</summary>
    Resumed,
    Stopped,
}
