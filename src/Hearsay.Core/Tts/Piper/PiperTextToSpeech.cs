using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Hearsay.Core.Audio;
using Hearsay.Core.Diagnostics;
using Hearsay.Core.Tts.Phonemization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hearsay.Core.Tts.Piper;

/// <summary>Piper text-to-speech: a <see cref="PiperVoice"/> fed by a <see cref="PiperPhonemizer"/>.</summary>
/// <remarks>
/// Thread-safe: concurrent <see cref="SynthesizeAsync"/> calls share the voice's session. Each sentence is
/// peak-normalized as Piper does (gain 1 / max(peak, 0.01)), so chunks are ready to encode.
/// </remarks>
public sealed class PiperTextToSpeech : ITextToSpeechEngine
{
    private readonly ILogger _logger;

    private PiperTextToSpeech(PiperVoice voice, PiperPhonemizer phonemizer, ILogger logger)
    {
        Voice = voice;
        Phonemizer = phonemizer;
        _logger = logger;
    }

    /// <summary>The loaded voice.</summary>
    public PiperVoice Voice { get; }

    /// <summary>The voice's phonemizer.</summary>
    public PiperPhonemizer Phonemizer { get; }

    /// <inheritdoc />
    public int SampleRate => Voice.Config.SampleRate;

    /// <summary>Locates espeak-ng, loads the voice, then starts the portable phonemizer's worker when that is the one found.</summary>
    /// <exception cref="DependencyUnavailableException">espeak-ng cannot be found: text-to-speech is unavailable.</exception>
    /// <exception cref="ModelLoadException">The voice files are missing or invalid.</exception>
    /// <exception cref="HearsayException">The portable phonemizer's worker could not be started.</exception>
    public static async Task<PiperTextToSpeech> LoadAsync(
        string modelPath,
        PiperTextToSpeechOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new PiperTextToSpeechOptions();
        loggerFactory ??= NullLoggerFactory.Instance;
        // A missing espeak-ng is the commonest reason TTS is unavailable: report it before spending time on the model.
        var program = new EspeakNgLocator().Locate(options.Phonemizer.EspeakNgPath, options.Phonemizer.Kind);
        var voice = await PiperVoice.LoadAsync(modelPath, options.ConfigPath, loggerFactory, cancellationToken).ConfigureAwait(false);
        var phonemizer = PiperPhonemizer.Create(voice.Config, program, options.Phonemizer, loggerFactory);
        try
        {
            await phonemizer.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            phonemizer.Dispose();
            voice.Dispose();
            throw;
        }

        return new PiperTextToSpeech(voice, phonemizer, loggerFactory.CreateLogger<PiperTextToSpeech>());
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AudioChunk> SynthesizeAsync(
        string text, SpeakOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= SpeakOptions.Default;
        var scales = ResolveScales(options);
        var speakerId = PiperSpeakers.Resolve(Voice.Config, options.Speaker);
        var silenceSamples = ResolveSilenceSamples(options.SentenceSilence);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new HearsayException(HearsayErrorCode.InvalidInput, "The text is empty: there is nothing to speak.");
        }

        var index = 0;
        await foreach (var sentence in Phonemizer.PhonemizeStreamAsync(text, cancellationToken).ConfigureAwait(false))
        {
            var ids = sentence.PhonemeIds.ToArray();
            var started = Stopwatch.GetTimestamp();
            var audio = await Voice.InferAsync(ids, scales, speakerId, cancellationToken).ConfigureAwait(false);
            var inferenceMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Log.SentenceSynthesized(_logger, index, ids.Length, audio.Length, inferenceMs);
            // The pause goes before every sentence but the first, so the stream never ends in silence and a sentence
            // need not wait to learn whether another follows.
            var leadingSilence = index > 0 ? silenceSamples : 0;
            yield return new AudioChunk(NormalizeAfterSilence(audio, leadingSilence), SampleRate, index, sentence.Text);
            index++;
        }

        if (index == 0)
        {
            throw new HearsayException(HearsayErrorCode.InvalidInput, "The text has nothing to speak: no words or numbers.");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Voice.Dispose();
        Phonemizer.Dispose();
    }

    private PiperScales ResolveScales(SpeakOptions options)
    {
        if (!(options.Speed >= SpeakOptions.MinSpeed && options.Speed <= SpeakOptions.MaxSpeed))
        {
            throw new HearsayException(
                HearsayErrorCode.InvalidInput,
                string.Create(CultureInfo.InvariantCulture, $"Speed {options.Speed} is out of range: use {SpeakOptions.MinSpeed} to {SpeakOptions.MaxSpeed}."));
        }

        var config = Voice.Config;
        return new PiperScales(
            NonNegative(options.NoiseScale ?? config.NoiseScale, "Noise scale"),
            config.LengthScale / options.Speed,
            NonNegative(options.NoiseW ?? config.NoiseW, "Noise w"));
    }

    private int ResolveSilenceSamples(TimeSpan silence)
    {
        if (silence < TimeSpan.Zero || silence > SpeakOptions.MaxSentenceSilence)
        {
            throw new HearsayException(
                HearsayErrorCode.InvalidInput,
                string.Create(CultureInfo.InvariantCulture, $"Sentence silence {silence.TotalSeconds} s is out of range: use 0 to {SpeakOptions.MaxSentenceSilence.TotalSeconds} s."));
        }

        return (int)Math.Round(silence.TotalSeconds * SampleRate);
    }

    private static float NonNegative(float value, string name) =>
        float.IsFinite(value) && value >= 0 && value <= 10
            ? value
            : throw new HearsayException(HearsayErrorCode.InvalidInput, string.Create(CultureInfo.InvariantCulture, $"{name} {value} is out of range: use 0 to 10."));

    /// <summary>Silence, then the audio with Piper's peak normalization, in one new array the chunk owns.</summary>
    internal static float[] NormalizeAfterSilence(float[] audio, int silenceSamples)
    {
        var peak = 0f;
        foreach (var sample in audio)
        {
            peak = MathF.Max(peak, MathF.Abs(sample));
        }

        var gain = 1f / MathF.Max(peak, 0.01f);
        var result = new float[silenceSamples + audio.Length];
        for (var i = 0; i < audio.Length; i++)
        {
            result[silenceSamples + i] = audio[i] * gain;
        }

        return result;
    }
}
