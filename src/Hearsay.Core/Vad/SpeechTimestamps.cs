namespace Hearsay.Core.Vad;

/// <summary>
/// Silero's <c>get_speech_timestamps</c> over a whole sequence of frame probabilities, written as plainly as the
/// original: a pass that opens and closes segments, then a pass that pads them.
/// </summary>
/// <remarks>
/// <see cref="VoiceActivityDetector"/> gives the same segments incrementally, in bounded memory; this is the reference
/// it is tested against, and a way to try other options on probabilities computed once
/// (<see cref="SileroVadScorer.Process"/>).
/// </remarks>
public static class SpeechTimestamps
{
    /// <summary>Finds the speech segments in audio whose 512-sample frames had these speech probabilities.</summary>
    /// <param name="probabilities">One probability per frame, the last frame zero-padded if the audio ends inside it.</param>
    /// <param name="sampleCount">The audio's length in samples at 16 kHz (the last segment may end there).</param>
    /// <param name="options">The segmentation settings; null means <see cref="VadOptions.Default"/>.</param>
    /// <returns>The segments, in order, not overlapping.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sampleCount"/> does not need exactly that many frames.</exception>
    /// <exception cref="HearsayException">An option is out of range (<see cref="HearsayErrorCode.InvalidInput"/>).</exception>
    public static IReadOnlyList<SpeechSegment> FromProbabilities(
        ReadOnlySpan<float> probabilities, long sampleCount, VadOptions? options = null)
    {
        const int Window = SileroVadModel.FrameSize;
        var frames = (sampleCount + Window - 1) / Window;
        if (sampleCount < 0 || frames != probabilities.Length)
        {
            throw new ArgumentOutOfRangeException(
                nameof(sampleCount), sampleCount, $"{probabilities.Length} frames of {Window} samples cannot hold this many samples.");
        }

        var p = VadParameters.From(options);
        var starts = new List<long>();
        var ends = new List<long>();
        var possibleEnds = new List<(long End, long Duration)>();
        var triggered = false;
        long start = 0;
        long tempEnd = 0; // 0: no silence under way (a silence never starts at sample 0: speech precedes it)

        for (var i = 0; i < probabilities.Length; i++)
        {
            var probability = probabilities[i];
            var position = (long)Window * i;
            if (probability >= p.Threshold && tempEnd != 0)
            {
                var silence = position - tempEnd;
                if (silence > p.MinSilenceSamplesAtMaxSpeech)
                {
                    possibleEnds.Add((tempEnd, silence));
                }

                tempEnd = 0;
            }

            if (probability >= p.Threshold && !triggered)
            {
                triggered = true;
                start = position;
                continue;
            }

            if (triggered && position - start > p.MaxSpeechSamples)
            {
                if (possibleEnds.Count > 0)
                {
                    var (end, duration) = p.SplitAtLongestSilence ? Longest(possibleEnds) : possibleEnds[^1];
                    starts.Add(start);
                    ends.Add(end);
                    // The next segment starts where that silence ended. (Silero's other branch, which would close
                    // the segment instead, needs a silence longer than the audio so far: it cannot happen.)
                    start = end + duration;
                    possibleEnds.RemoveAll(e => e.End <= start);
                    tempEnd = 0;
                }
                else
                {
                    starts.Add(start);
                    ends.Add(position);
                    triggered = false;
                    tempEnd = 0;
                    possibleEnds.Clear();
                    continue;
                }
            }

            if (probability < p.NegativeThreshold && triggered)
            {
                if (tempEnd == 0)
                {
                    tempEnd = position;
                }

                if (position - tempEnd < p.MinSilenceSamples)
                {
                    continue;
                }

                if (tempEnd - start > p.MinSpeechSamples)
                {
                    starts.Add(start);
                    ends.Add(tempEnd);
                }

                triggered = false;
                tempEnd = 0;
                possibleEnds.Clear();
            }
        }

        if (triggered && sampleCount - start > p.MinSpeechSamples)
        {
            starts.Add(start);
            ends.Add(sampleCount);
        }

        // Padding: every gap is measured between the unpadded segments.
        var pad = p.SpeechPadSamples;
        for (var i = 0; i < starts.Count; i++)
        {
            if (i == 0)
            {
                starts[0] = (long)Math.Max(0, starts[0] - pad);
            }

            if (i != starts.Count - 1)
            {
                var gap = starts[i + 1] - ends[i];
                if (gap < 2 * pad)
                {
                    ends[i] += gap / 2;
                    starts[i + 1] = (long)Math.Max(0, starts[i + 1] - (gap / 2));
                }
                else
                {
                    ends[i] = (long)Math.Min(sampleCount, ends[i] + pad);
                    starts[i + 1] = (long)Math.Max(0, starts[i + 1] - pad);
                }
            }
            else
            {
                ends[i] = (long)Math.Min(sampleCount, ends[i] + pad);
            }
        }

        var segments = new SpeechSegment[starts.Count];
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = new SpeechSegment(starts[i], ends[i]);
        }

        return segments;
    }

    /// <summary>The longest silence, the first of equals (Python's <c>max</c>).</summary>
    private static (long End, long Duration) Longest(List<(long End, long Duration)> silences)
    {
        var longest = silences[0];
        foreach (var silence in silences)
        {
            if (silence.Duration > longest.Duration)
            {
                longest = silence;
            }
        }

        return longest;
    }
}
