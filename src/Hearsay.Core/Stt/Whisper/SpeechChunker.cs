using System.Runtime.CompilerServices;
using Hearsay.Core.Audio.Input;
using Hearsay.Core.Stt.Whisper.Features;
using Hearsay.Core.Vad;

namespace Hearsay.Core.Stt.Whisper;

/// <summary>Speech pieces packed into at most one Whisper window, with the map back to the input's timeline.</summary>
/// <param name="Samples">The pieces, joined.</param>
/// <param name="Timeline">Where each piece came from.</param>
/// <param name="InputEnd">How far into the input (seconds) the chunk reaches, for progress.</param>
internal sealed record SpeechChunk(float[] Samples, TimelineMap Timeline, double InputEnd);

/// <summary>
/// Reads 16 kHz audio, finds its speech with voice activity detection, and packs consecutive speech segments into
/// chunks of at most 30 s (as faster-whisper does), so silence costs no decoding and each chunk is one encoder run.
/// Only the audio a future segment can still need is kept, so memory stays bounded on inputs of any length.
/// </summary>
internal sealed class SpeechChunker
{
    private const int ReadBlock = 16_000;
    private const int MaxChunkSamples = WhisperAudio.WindowSamples;
    private readonly MonoAudioReader _reader;
    private readonly VoiceActivityDetector _vad;
    private readonly List<(SpeechSegment Segment, float[] Samples)> _pending = [];
    private readonly SlidingSampleBuffer _retained = new(ReadBlock * 4);
    private int _pendingSamples;

    public SpeechChunker(MonoAudioReader reader, VoiceActivityDetector vad)
    {
        _reader = reader;
        _vad = vad;
    }

    /// <summary>Samples read so far; the input's length once the chunks are exhausted.</summary>
    public long SamplesRead => _retained.End;

    public async IAsyncEnumerable<SpeechChunk> ReadChunksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var block = new float[ReadBlock];
        while (true)
        {
            var read = await _reader.ReadAsync(block, cancellationToken).ConfigureAwait(false);
            var segments = read == 0 ? _vad.Complete(cancellationToken) : Push(block.AsSpan(0, read), cancellationToken);
            foreach (var segment in segments)
            {
                foreach (var chunk in Add(segment))
                {
                    yield return chunk;
                }
            }

            if (read == 0)
            {
                if (_pending.Count > 0)
                {
                    yield return Flush();
                }

                yield break;
            }

            _retained.DiscardBefore(Math.Min(_vad.RetainFrom, SamplesRead));
        }
    }

    private IReadOnlyList<SpeechSegment> Push(ReadOnlySpan<float> samples, CancellationToken cancellationToken)
    {
        _retained.Append(samples);
        return _vad.Push(samples, cancellationToken);
    }

    private IEnumerable<SpeechChunk> Add(SpeechSegment segment)
    {
        // A segment longer than a window (only when VAD's maximum speech duration allows it) is cut into windows.
        for (var start = segment.Start; start < segment.End; start += MaxChunkSamples)
        {
            var piece = new SpeechSegment(start, Math.Min(segment.End, start + MaxChunkSamples));
            if (_pendingSamples + piece.Length > MaxChunkSamples && _pending.Count > 0)
            {
                yield return Flush();
            }

            _pending.Add((piece, _retained.Slice(piece.Start, (int)piece.Length).ToArray()));
            _pendingSamples += (int)piece.Length;
        }
    }

    private SpeechChunk Flush()
    {
        var samples = new float[_pendingSamples];
        var timeline = new TimelineMap();
        var offset = 0;
        foreach (var (segment, pieceSamples) in _pending)
        {
            pieceSamples.CopyTo(samples, offset);
            timeline.Add(Seconds(offset), Seconds(segment.Start), Seconds(segment.Length));
            offset += pieceSamples.Length;
        }

        var inputEnd = Seconds(_pending[^1].Segment.End);
        _pending.Clear();
        _pendingSamples = 0;
        return new SpeechChunk(samples, timeline, inputEnd);
    }

    private static double Seconds(long samples) => (double)samples / WhisperAudio.SampleRate;
}
