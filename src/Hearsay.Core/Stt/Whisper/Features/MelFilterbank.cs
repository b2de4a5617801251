namespace Hearsay.Core.Stt.Whisper.Features;

/// <summary>
/// Whisper's real mel filterbanks (80 or 128 filters over the 201 bins of a 400-point FFT), read from OpenAI's
/// <c>mel_filters.npz</c>, which Hearsay embeds. Each filter is stored as its non-zero span only: a filter touches a
/// handful of bins, so applying the bank costs about 400 multiply-adds per frame instead of 16,000.
/// </summary>
internal sealed class MelFilterbank
{
    private const string ResourceName = "Hearsay.Core.Stt.Whisper.Features.mel_filters.npz";
    private static readonly Lazy<MelFilterbank> Mel80 = new(() => LoadEmbedded(80));
    private static readonly Lazy<MelFilterbank> Mel128 = new(() => LoadEmbedded(128));

    private readonly int[] _firstBin;
    private readonly float[][] _weights;

    private MelFilterbank(int[] firstBin, float[][] weights)
    {
        _firstBin = firstBin;
        _weights = weights;
    }

    /// <summary>Number of mel filters.</summary>
    public int MelCount => _weights.Length;

    /// <summary>The bank with <paramref name="melCount"/> filters: 80, or 128 for large-v3 and later.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Whisper publishes no bank of that size.</exception>
    public static MelFilterbank ForMelCount(int melCount) => melCount switch
    {
        80 => Mel80.Value,
        128 => Mel128.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(melCount), melCount, "Whisper models use 80 or 128 mel bins."),
    };

    /// <summary>Builds a bank from a dense [filters, 201] matrix.</summary>
    public static MelFilterbank FromDense(ReadOnlySpan<float> matrix, int melCount)
    {
        if (matrix.Length != melCount * WhisperAudio.SpectrumBins)
        {
            throw new ArgumentException($"Expected {melCount} x {WhisperAudio.SpectrumBins} weights.", nameof(matrix));
        }

        var firstBin = new int[melCount];
        var weights = new float[melCount][];
        for (var mel = 0; mel < melCount; mel++)
        {
            var row = matrix.Slice(mel * WhisperAudio.SpectrumBins, WhisperAudio.SpectrumBins);
            var first = row.IndexOfAnyExcept(0f);
            var last = row.LastIndexOfAnyExcept(0f);
            firstBin[mel] = Math.Max(first, 0);
            weights[mel] = first < 0 ? [] : row[first..(last + 1)].ToArray();
        }

        return new MelFilterbank(firstBin, weights);
    }

    /// <summary>Writes the filter energies of one power spectrum (201 bins) to <paramref name="melEnergies"/>.</summary>
    public void Apply(ReadOnlySpan<double> powerSpectrum, Span<double> melEnergies)
    {
        for (var mel = 0; mel < _weights.Length; mel++)
        {
            var weights = _weights[mel];
            var bins = powerSpectrum.Slice(_firstBin[mel], weights.Length);
            var sum = 0.0;
            for (var i = 0; i < weights.Length; i++)
            {
                sum += weights[i] * bins[i];
            }

            melEnergies[mel] = sum;
        }
    }

    private static MelFilterbank LoadEmbedded(int melCount)
    {
        using var stream = typeof(MelFilterbank).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        var (data, shape) = NpyArray.ReadFromNpz(stream, $"mel_{melCount}");
        if (shape is not [var rows, WhisperAudio.SpectrumBins] || rows != melCount)
        {
            throw new InvalidDataException($"mel_{melCount} has shape ({string.Join(", ", shape)})");
        }

        return FromDense(data, melCount);
    }
}
