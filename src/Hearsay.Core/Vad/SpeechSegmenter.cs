namespace Hearsay.Core.Vad;

/// <summary>
/// Silero's <c>get_speech_timestamps</c>, fed one frame probability at a time, handing out each segment as soon as no
/// later frame can change it.
/// </summary>
/// <remarks>
/// Silero pads segments in a second pass that looks at each segment's neighbours. Here a closed segment waits until
/// the next kept segment is known (the gap between them decides both paddings) or until no later segment can start
/// within two pads of its end (then its end gets the full pad). At most one segment waits, so memory stays bounded
/// however long the audio is. <see cref="SpeechTimestamps.FromProbabilities"/> is the plain reference for the result.
/// </remarks>
internal sealed class SpeechSegmenter
{
    private const int Window = SileroVadModel.FrameSize;

    private readonly VadParameters _parameters;
    private readonly List<(long End, long Duration)> _possibleEnds = [];
    private long _frames;
    private long _sampleCount;
    private bool _triggered;
    private long _start;
    private long _tempEnd; // 0: no silence under way (Silero's sentinel; a silence never starts at sample 0)

    // The last kept segment: its padded start is settled, its end waits for its right-hand neighbour.
    private bool _hasPending;
    private long _pendingStart;
    private long _pendingRawEnd;

    public SpeechSegmenter(VadParameters parameters)
    {
        _parameters = parameters;
    }

    /// <summary>Frames consumed so far.</summary>
    public long FrameCount => _frames;

    /// <summary>Samples those frames held (the last frame may have been partial, zero-padded for the model).</summary>
    public long SampleCount => _sampleCount;

    /// <summary>The earliest sample at which a segment not yet handed out can start.</summary>
    public long RetainFrom => _hasPending ? _pendingStart : _parameters.PadBefore(EarliestFutureStart);

    /// <summary>Where the earliest segment not yet closed can start, before padding.</summary>
    private long EarliestFutureStart => _triggered ? _start : _frames * Window;

    /// <summary>Consumes the next frame's probability; adds any segment that became final to <paramref name="final"/>.</summary>
    /// <param name="probability">The model's speech probability for the frame.</param>
    /// <param name="frameSamples">Real samples in the frame: 512, or fewer for the last frame of the audio.</param>
    /// <param name="final">Receives segments that no later frame can change.</param>
    public void Push(float probability, int frameSamples, List<SpeechSegment> final)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frameSamples, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frameSamples, Window);
        if (_sampleCount != _frames * Window)
        {
            throw new InvalidOperationException("A partial frame ends the audio: no frame can follow it.");
        }

        var p = _parameters;
        var position = _frames * Window;
        _frames++;
        _sampleCount += frameSamples;
        if (probability >= p.Threshold && _tempEnd != 0)
        {
            // Split points matter only with a length limit; without one, an hour-long segment keeps no list of pauses.
            var silence = position - _tempEnd;
            if (silence > p.MinSilenceSamplesAtMaxSpeech && !double.IsPositiveInfinity(p.MaxSpeechSamples))
            {
                _possibleEnds.Add((_tempEnd, silence));
            }

            _tempEnd = 0;
        }

        if (probability >= p.Threshold && !_triggered)
        {
            _triggered = true;
            _start = position;
        }
        else
        {
            Continue(probability, position, final);
        }

        // A later segment starts at the earliest at EarliestFutureStart: once that is two pads past the waiting
        // segment's end, their gap can only be wide enough for the full pad. (Clamped to the audio's length as
        // Silero clamps the last segment: after a partial frame nothing follows.)
        if (_hasPending && EarliestFutureStart - _pendingRawEnd >= 2 * p.SpeechPadSamples)
        {
            HandOutPending(final);
        }
    }

    /// <summary>Ends the audio after the frames pushed; adds the remaining segments to <paramref name="final"/>.</summary>
    public void Complete(List<SpeechSegment> final)
    {
        if (_triggered && _sampleCount - _start > _parameters.MinSpeechSamples)
        {
            Keep(_start, _sampleCount, final);
        }

        Close();
        if (_hasPending)
        {
            HandOutPending(final);
        }
    }

    /// <summary>Forgets everything, for a new audio stream.</summary>
    public void Reset()
    {
        _frames = 0;
        _sampleCount = 0;
        _triggered = false;
        _start = 0;
        _tempEnd = 0;
        _possibleEnds.Clear();
        _hasPending = false;
    }

    /// <summary>A frame that did not open a segment: the length limit, then silence.</summary>
    private void Continue(float probability, long position, List<SpeechSegment> final)
    {
        var p = _parameters;
        if (_triggered && position - _start > p.MaxSpeechSamples)
        {
            if (_possibleEnds.Count == 0)
            {
                Keep(_start, position, final);
                Close();
                return;
            }

            var (end, duration) = p.SplitAtLongestSilence ? Longest() : _possibleEnds[^1];
            Keep(_start, end, final);
            _start = end + duration;
            _possibleEnds.RemoveAll(e => e.End <= _start);
            _tempEnd = 0;
        }

        if (probability < p.NegativeThreshold && _triggered)
        {
            if (_tempEnd == 0)
            {
                _tempEnd = position;
            }

            if (position - _tempEnd >= p.MinSilenceSamples)
            {
                if (_tempEnd - _start > p.MinSpeechSamples)
                {
                    Keep(_start, _tempEnd, final);
                }

                Close();
            }
        }
    }

    /// <summary>Hands out the waiting segment with a full pad after it (no neighbour is within two pads).</summary>
    private void HandOutPending(List<SpeechSegment> final)
    {
        final.Add(new SpeechSegment(_pendingStart, (long)Math.Min(_sampleCount, _pendingRawEnd + _parameters.SpeechPadSamples)));
        _hasPending = false;
    }

    private void Close()
    {
        _triggered = false;
        _tempEnd = 0;
        _possibleEnds.Clear();
    }

    /// <summary>
    /// A segment that will be in the output: settles its padded start and the waiting segment's padded end, hands the
    /// waiting one out, and waits in its place.
    /// </summary>
    private void Keep(long start, long end, List<SpeechSegment> final)
    {
        var pad = _parameters.SpeechPadSamples;
        long paddedStart;
        if (_hasPending)
        {
            var gap = start - _pendingRawEnd;
            long pendingEnd;
            if (gap < 2 * pad)
            {
                pendingEnd = _pendingRawEnd + (gap / 2);
                paddedStart = (long)Math.Max(0, start - (gap / 2));
            }
            else
            {
                // No clamp to the audio's length is needed: the end plus one pad is before this start.
                pendingEnd = (long)(_pendingRawEnd + pad);
                paddedStart = _parameters.PadBefore(start);
            }

            final.Add(new SpeechSegment(_pendingStart, pendingEnd));
        }
        else
        {
            // The first segment, or the one after a segment that was handed out because nothing could start within
            // two pads of it: either way Silero takes a full pad, floored at 0.
            paddedStart = _parameters.PadBefore(start);
        }

        _hasPending = true;
        _pendingStart = paddedStart;
        _pendingRawEnd = end;
    }

    private (long End, long Duration) Longest()
    {
        var longest = _possibleEnds[0];
        foreach (var silence in _possibleEnds)
        {
            if (silence.Duration > longest.Duration)
            {
                longest = silence;
            }
        }

        return longest;
    }
}
