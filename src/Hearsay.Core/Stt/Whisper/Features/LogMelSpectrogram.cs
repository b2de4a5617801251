using System.Numerics.Tensors;

namespace Hearsay.Core.Stt.Whisper.Features;

/// <summary>
/// Whisper's log-mel features, as OpenAI's <c>log_mel_spectrogram</c> and <c>transcribe</c> compute them: a centred
/// 400-point STFT (periodic Hann, hop 160, reflect padding at the start, the 30 s of zeros Whisper appends at the
/// end), |X|², the mel filterbank, <c>log10(max(x, 1e-10))</c>, a floor 8 below the maximum, then <c>(x + 4) / 4</c>;
/// frames past the audio's content are 0, as <c>pad_or_trim</c> leaves them.
/// </summary>
/// <remarks>
/// One difference, so that memory stays bounded on long inputs: the maximum for the floor is taken over the 30 s
/// window being encoded, not over the whole file. For audio up to 30 s the two are identical.
/// Frames are computed on up to <see cref="MaxWorkers"/> threads, each with its own FFT buffers. Not thread-safe: one
/// instance per transcription.
/// </remarks>
internal sealed class LogMelSpectrogram
{
    private const int FrameOverhang = WhisperAudio.FftSize / 2;
    private static readonly double[] HannWindow = CreatePeriodicHann(WhisperAudio.FftSize);

    private const int MaxWorkers = 4;

    // Whisper clamps mel energies here before the log; a frame of zeros gives its log.
    private const double MinEnergy = 1e-10;
    private static readonly double SilentLog = Math.Log10(MinEnergy);
    private readonly MelFilterbank _filterbank;
    private readonly FrameWorker[] _workers;

    public LogMelSpectrogram(int melCount)
    {
        _filterbank = MelFilterbank.ForMelCount(melCount);
        _workers = Enumerable.Range(0, Math.Clamp(Environment.ProcessorCount, 1, MaxWorkers))
            .Select(_ => new FrameWorker(melCount))
            .ToArray();
    }

    public int MelCount => _filterbank.MelCount;

    /// <summary>The first absolute sample a window starting at <paramref name="seekFrame"/> reads.</summary>
    public static long FirstSampleNeeded(long seekFrame) => Math.Max(0, (seekFrame * WhisperAudio.HopLength) - FrameOverhang);

    /// <summary>The sample just past the last one a window starting at <paramref name="seekFrame"/> reads.</summary>
    public static long EndSampleNeeded(long seekFrame) =>
        ((seekFrame + WhisperAudio.WindowFrames - 1) * WhisperAudio.HopLength) + FrameOverhang;

    /// <summary>
    /// Computes the window of 3000 frames starting at <paramref name="seekFrame"/> into <paramref name="features"/>
    /// ([mels, 3000], row-major, as the encoder takes it).
    /// </summary>
    /// <param name="samples">Audio from absolute sample <paramref name="samplesOrigin"/> on; anything after its end is
    /// the zero padding, so it must hold every real sample up to <see cref="EndSampleNeeded"/> that exists.</param>
    /// <param name="samplesOrigin">Absolute index of <c>samples[0]</c>; at most <see cref="FirstSampleNeeded"/>, and 0
    /// while the window's frames still reach back into the reflect padding.</param>
    /// <param name="seekFrame">The window's first frame.</param>
    /// <param name="contentFrames">How many of the window's frames hold real audio; the rest become 0.</param>
    /// <param name="features">Receives mels × 3000 values.</param>
    public void ComputeWindow(ReadOnlyMemory<float> samples, long samplesOrigin, long seekFrame, int contentFrames, Memory<float> features)
    {
        const int frames = WhisperAudio.WindowFrames;
        var melCount = MelCount;
        if (features.Length != melCount * frames)
        {
            throw new ArgumentException($"Expected {melCount} x {frames} features.", nameof(features));
        }

        if (samplesOrigin > FirstSampleNeeded(seekFrame) || (samplesOrigin > 0 && (seekFrame * WhisperAudio.HopLength) < FrameOverhang))
        {
            throw new ArgumentException("The samples start after the first one this window needs.", nameof(samplesOrigin));
        }

        contentFrames = Math.Clamp(contentFrames, 0, frames);

        // Frames that start past the last sample see only Whisper's zero padding: their energies are all 0, so their
        // logs are the floor of log10(1e-10) whatever the FFT says. Only the frames that reach audio are computed.
        var audioEnd = samplesOrigin + samples.Length;
        var framesWithAudio = (int)Math.Clamp(((audioEnd + FrameOverhang - 1) / WhisperAudio.HopLength) + 1 - seekFrame, 0, frames);
        var maxima = new double[_workers.Length];
        var perWorker = (framesWithAudio + _workers.Length - 1) / _workers.Length;
        Parallel.For(0, _workers.Length, worker =>
        {
            var first = worker * perWorker;
            maxima[worker] = _workers[worker].Compute(
                _filterbank, samples.Span, samplesOrigin, seekFrame, first, Math.Min(first + perWorker, framesWithAudio), features.Span);
        });
        var max = maxima.Max();
        if (framesWithAudio < frames)
        {
            max = Math.Max(max, SilentLog);
            for (var m = 0; m < melCount; m++)
            {
                features.Span.Slice((m * frames) + framesWithAudio, frames - framesWithAudio).Fill((float)SilentLog);
            }
        }

        var floor = max - 8.0;
        for (var m = 0; m < melCount; m++)
        {
            var row = features.Span.Slice(m * frames, frames);
            for (var t = 0; t < contentFrames; t++)
            {
                row[t] = (float)((Math.Max(row[t], floor) + 4.0) / 4.0);
            }

            row[contentFrames..].Clear();
        }
    }

    private static double[] CreatePeriodicHann(int length)
    {
        var window = new double[length];
        for (var n = 0; n < length; n++)
        {
            window[n] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * n / length));
        }

        return window;
    }

    /// <summary>One thread's FFT and buffers; computes the log10 mel energies of a range of frames.</summary>
    private sealed class FrameWorker(int melCount)
    {

        private readonly RealFft _fft = new(WhisperAudio.FftSize);
        private readonly double[] _frame = new double[WhisperAudio.FftSize];
        private readonly double[] _power = new double[WhisperAudio.SpectrumBins];
        private readonly double[] _mel = new double[melCount];

        /// <summary>Writes log10 energies of frames [first, end) into <paramref name="features"/>; returns their maximum.</summary>
        public double Compute(
            MelFilterbank filterbank, ReadOnlySpan<float> samples, long origin, long seekFrame, int first, int end, Span<float> features)
        {
            var max = double.NegativeInfinity;
            for (var t = first; t < end; t++)
            {
                var center = (seekFrame + t) * WhisperAudio.HopLength;
                for (var n = 0; n < WhisperAudio.FftSize; n++)
                {
                    _frame[n] = HannWindow[n] * SampleAt(samples, origin, center - FrameOverhang + n);
                }

                _fft.PowerSpectrum(_frame, _power);
                filterbank.Apply(_power, _mel);
                TensorPrimitives.Max(_mel, MinEnergy, _mel);
                TensorPrimitives.Log10(_mel, _mel);
                max = Math.Max(max, TensorPrimitives.Max(_mel));
                for (var m = 0; m < _mel.Length; m++)
                {
                    features[(m * WhisperAudio.WindowFrames) + t] = (float)_mel[m];
                }
            }

            return max;
        }

        private static double SampleAt(ReadOnlySpan<float> samples, long origin, long index)
        {
            // torch.stft(center=True) reflects at the start: x[-j] = x[j]. Past the end is Whisper's zero padding.
            var absolute = index < 0 ? -index : index;
            var relative = absolute - origin;
            return relative < samples.Length ? samples[(int)relative] : 0.0;
        }
    }
}
