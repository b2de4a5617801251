using System.Globalization;
using System.Runtime.CompilerServices;
using Hearsay.Core.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hearsay.Core.Vad;

/// <summary>
/// Finds speech in a stream of 16 kHz mono audio with Silero VAD, segment by segment, in bounded memory: push samples
/// in blocks of any size, get back each <see cref="SpeechSegment"/> as soon as no later audio can change it.
/// </summary>
/// <remarks>
/// The segments are exactly those of Silero's <c>get_speech_timestamps</c> over the whole audio
/// (<see cref="SpeechTimestamps.FromProbabilities"/>), whatever the block sizes. Audio must be 16 kHz: resample
/// other rates first. The detector keeps no audio: <see cref="RetainFrom"/> says how much of it the caller still
/// needs to cut out the segments to come. Not thread-safe; one detector per audio stream.
/// </remarks>
public sealed class VoiceActivityDetector : IDisposable
{
    private readonly SileroVadScorer _scorer;
    private readonly SpeechSegmenter _segmenter;
    private readonly ILogger _logger;
    private readonly float[] _partial = new float[SileroVadModel.FrameSize];
    private readonly List<SpeechSegment> _final = [];
    private int _partialCount;
    private bool _completed;
    private int _segmentCount;
    private long _speechSamples;
    private int _disposed;

    /// <summary>Creates a detector for one audio stream.</summary>
    /// <param name="model">The model; it may be shared with other detectors and must outlive this one.</param>
    /// <param name="options">The segmentation settings; null means <see cref="VadOptions.Default"/>.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <exception cref="HearsayException">An option is out of range (<see cref="HearsayErrorCode.InvalidInput"/>).</exception>
    public VoiceActivityDetector(SileroVadModel model, VadOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Options = options ?? VadOptions.Default;
        _segmenter = new SpeechSegmenter(VadParameters.From(Options));
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<VoiceActivityDetector>();
        _scorer = model.CreateScorer();
    }

    /// <summary>The segmentation settings.</summary>
    public VadOptions Options { get; }

    /// <summary>Samples pushed since the detector was created or reset.</summary>
    public long SampleCount => _segmenter.SampleCount + _partialCount;

    /// <summary>
    /// The earliest sample (counted from the start of the audio) at which a segment not yet returned can start. Audio
    /// before it is no longer needed to cut out segments.
    /// </summary>
    public long RetainFrom => _segmenter.RetainFrom;

    /// <summary>Feeds the next samples of the stream.</summary>
    /// <param name="samples">16 kHz mono samples in [-1, 1], any number.</param>
    /// <param name="cancellationToken">Checked between frames. After a cancelled push, reset or dispose the detector.</param>
    /// <returns>The segments that became final, in order; usually none.</returns>
    /// <exception cref="InvalidOperationException"><see cref="Complete"/> was already called.</exception>
    /// <exception cref="HearsayException">The model failed (<see cref="HearsayErrorCode.InferenceFailed"/>).</exception>
    public IReadOnlyList<SpeechSegment> Push(ReadOnlySpan<float> samples, CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        const int Frame = SileroVadModel.FrameSize;
        if (_partialCount > 0)
        {
            var take = Math.Min(Frame - _partialCount, samples.Length);
            samples[..take].CopyTo(_partial.AsSpan(_partialCount));
            _partialCount += take;
            samples = samples[take..];
            if (_partialCount < Frame)
            {
                return [];
            }

            cancellationToken.ThrowIfCancellationRequested();
            Score(_partial, Frame);
            _partialCount = 0;
        }

        while (samples.Length >= Frame)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Score(samples[..Frame], Frame);
            samples = samples[Frame..];
        }

        samples.CopyTo(_partial);
        _partialCount = samples.Length;
        return TakeFinal();
    }

    /// <summary>Ends the stream: scores the last, zero-padded, partial frame and returns the remaining segments.</summary>
    /// <param name="cancellationToken">Checked before the last frame.</param>
    /// <returns>The segments not returned yet, in order.</returns>
    /// <exception cref="InvalidOperationException"><see cref="Complete"/> was already called.</exception>
    public IReadOnlyList<SpeechSegment> Complete(CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        cancellationToken.ThrowIfCancellationRequested();
        if (_partialCount > 0)
        {
            Array.Clear(_partial, _partialCount, _partial.Length - _partialCount);
            Score(_partial, _partialCount);
            _partialCount = 0;
        }

        _segmenter.Complete(_final);
        _completed = true;
        var final = TakeFinal();
        Log.VadCompleted(_logger, _segmenter.SampleCount, _segmenter.FrameCount, _segmentCount, _speechSamples / (double)SileroVadModel.SampleRate);
        return final;
    }

    /// <summary>Starts over for a new audio stream, with the same model and options.</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _scorer.Reset();
        _segmenter.Reset();
        _partialCount = 0;
        _final.Clear();
        _completed = false;
        _segmentCount = 0;
        _speechSamples = 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _scorer.Dispose();
        }
    }

    /// <summary>Finds the speech segments in a whole recording.</summary>
    /// <param name="model">The Silero VAD model.</param>
    /// <param name="samples">Mono samples in [-1, 1].</param>
    /// <param name="sampleRate">Their rate, which must be 16000 (resample other rates first).</param>
    /// <param name="options">The segmentation settings; null means <see cref="VadOptions.Default"/>.</param>
    /// <param name="cancellationToken">Checked between frames.</param>
    /// <exception cref="HearsayException"><paramref name="sampleRate"/> is not 16000, or an option is out of range
    /// (<see cref="HearsayErrorCode.InvalidInput"/>); the model failed (<see cref="HearsayErrorCode.InferenceFailed"/>).</exception>
    public static IReadOnlyList<SpeechSegment> Detect(
        SileroVadModel model,
        ReadOnlySpan<float> samples,
        int sampleRate,
        VadOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        RequireSampleRate(sampleRate);
        using var detector = new VoiceActivityDetector(model, options);
        var segments = new List<SpeechSegment>(detector.Push(samples, cancellationToken));
        segments.AddRange(detector.Complete(cancellationToken));
        return segments;
    }

    /// <summary>
    /// Finds the speech segments in a whole recording, yielding each as soon as it is final; the model runs off the
    /// caller's thread.
    /// </summary>
    /// <param name="model">The Silero VAD model.</param>
    /// <param name="samples">Mono samples in [-1, 1].</param>
    /// <param name="sampleRate">Their rate, which must be 16000 (resample other rates first).</param>
    /// <param name="options">The segmentation settings; null means <see cref="VadOptions.Default"/>.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <param name="cancellationToken">Checked between frames.</param>
    /// <exception cref="HearsayException"><paramref name="sampleRate"/> is not 16000, or an option is out of range
    /// (<see cref="HearsayErrorCode.InvalidInput"/>); the model failed (<see cref="HearsayErrorCode.InferenceFailed"/>).</exception>
    public static IAsyncEnumerable<SpeechSegment> DetectAsync(
        SileroVadModel model,
        ReadOnlyMemory<float> samples,
        int sampleRate,
        VadOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        RequireSampleRate(sampleRate);
        // Checked now rather than at the first MoveNextAsync, so a bad option fails where it is passed.
        _ = VadParameters.From(options);
        return DetectCoreAsync(model, samples, options, loggerFactory, cancellationToken);
    }

    private static async IAsyncEnumerable<SpeechSegment> DetectCoreAsync(
        SileroVadModel model,
        ReadOnlyMemory<float> samples,
        VadOptions? options,
        ILoggerFactory? loggerFactory,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Ten seconds of audio (about 30 ms of work) per hop to the thread pool.
        const int Block = 10 * SileroVadModel.SampleRate;
        using var detector = new VoiceActivityDetector(model, options, loggerFactory);
        for (var offset = 0; offset < samples.Length; offset += Block)
        {
            var block = samples.Slice(offset, Math.Min(Block, samples.Length - offset));
            var segments = await Task.Run(() => detector.Push(block.Span, cancellationToken), cancellationToken).ConfigureAwait(false);
            foreach (var segment in segments)
            {
                yield return segment;
            }
        }

        foreach (var segment in detector.Complete(cancellationToken))
        {
            yield return segment;
        }
    }

    private static void RequireSampleRate(int sampleRate)
    {
        if (sampleRate != SileroVadModel.SampleRate)
        {
            throw new HearsayException(
                HearsayErrorCode.InvalidInput,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Silero VAD needs {SileroVadModel.SampleRate} Hz audio, not {sampleRate} Hz: resample it first."));
        }
    }

    private void Score(ReadOnlySpan<float> frame, int realSamples)
    {
        var probability = _scorer.Process(frame);
        _segmenter.Push(probability, realSamples, _final);
    }

    private SpeechSegment[] TakeFinal()
    {
        if (_final.Count == 0)
        {
            return [];
        }

        var final = _final.ToArray();
        _final.Clear();
        foreach (var segment in final)
        {
            _segmentCount++;
            _speechSamples += segment.Length;
            Log.SpeechSegmentFound(_logger, segment.StartTime.TotalSeconds, segment.EndTime.TotalSeconds, segment.Start, segment.End);
        }

        return final;
    }

    private void ThrowIfCompleted()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_completed)
        {
            throw new InvalidOperationException("The audio stream was completed; call Reset to start a new one.");
        }
    }
}
