using System.Diagnostics;
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
/// peak-normalized as Piper does (gain 1 / max(peak, 0.01); see <see cref="SentenceAudio"/>), so chunks are ready to encode.
/// </remarks>
public sealed class PiperTextToSpeech : ITextToSpeechEngine
{
    private readonly ILogger _logger;

    private PiperTextToSpeech(PiperVoice voice, PiperPhonemizer phonemizer, ILogger logger)
    {
        Voice = voice;
        Phonemizer = phonemizer;
        Speakers = new VoiceSpeakers(voice.Config.SpeakerCount, voice.Config.SpeakerIds);
        _logger = logger;
    }

    /// <summary>The loaded voice.</summary>
    public PiperVoice Voice { get; }

    /// <summary>The voice's phonemizer.</summary>
    public PiperPhonemizer Phonemizer { get; }

    /// <inheritdoc />
    public int SampleRate => Voice.Config.SampleRate;

    /// <inheritdoc />
    public VoiceSpeakers Speakers { get; }

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
        var voice = await PiperVoice.LoadAsync(modelPath, options.ConfigPath, options.Threads, loggerFactory, cancellationToken).ConfigureAwait(false);
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
    /// <remarks>
    /// A sentence longer than <see cref="PiperPieces.MaxPhonemes"/> allows at this speed is inferred in pieces, each
    /// yielded as its own chunk with the sentence's index and text (ADR 0009), so no inference outgrows a bounded size.
    /// One piece is inferred ahead of the caller: while the caller takes a chunk, the voice already runs the next piece.
    /// </remarks>
    public async IAsyncEnumerable<AudioChunk> SynthesizeAsync(
        string text, SpeakOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= SpeakOptions.Default;
        options.Validate();
        var config = Voice.Config;
        var scales = new PiperScales(options.NoiseScale ?? config.NoiseScale, config.LengthScale / options.Speed, options.NoiseW ?? config.NoiseW);
        var speakerId = Speakers.Resolve(options.Speaker);
        var silenceSamples = (int)Math.Round(options.SentenceSilence.TotalSeconds * SampleRate);
        var maxPhonemes = PiperPieces.MaxPhonemes(options.Speed);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new HearsayException(HearsayErrorCode.InvalidInput, "The text is empty: there is nothing to speak.");
        }

        // The voice need not wait for the caller, nor for the two thread hops between them, before the next piece.
        using var aheadCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        RunningPiece? ahead = null;
        SentenceAudio? audio = null;
        try
        {
            await foreach (var piece in PiecesAsync(text, maxPhonemes, cancellationToken).ConfigureAwait(false))
            {
                // A piece already phonemized comes without waiting, so the cancellation is checked here: once cancelled,
                // not even a piece that is ready is handed out.
                cancellationToken.ThrowIfCancellationRequested();
                var next = new RunningPiece(piece, InferAsync(piece, scales, speakerId, aheadCancellation.Token));
                var current = ahead;
                ahead = next;
                if (current is not null)
                {
                    var raw = await current.Audio.ConfigureAwait(false);
                    yield return ToChunk(current.Piece, raw, silenceSamples, ref audio);
                }
            }

            if (ahead is null)
            {
                throw new HearsayException(HearsayErrorCode.InvalidInput, "The text has nothing to speak: no words or numbers.");
            }

            var last = ahead;
            ahead = null;
            var lastRaw = await last.Audio.ConfigureAwait(false);
            yield return ToChunk(last.Piece, lastRaw, silenceSamples, ref audio);
        }
        finally
        {
            await WorkAhead.AbandonAsync(ahead?.Audio, aheadCancellation).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Voice.Dispose();
        Phonemizer.Dispose();
    }

    /// <summary>The text's pieces in order: each sentence's phonemes cut to at most <paramref name="maxPhonemes"/>.</summary>
    private async IAsyncEnumerable<Piece> PiecesAsync(
        string text, int maxPhonemes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var index = 0;
        await foreach (var sentence in Phonemizer.PhonemizeStreamAsync(text, cancellationToken).ConfigureAwait(false))
        {
            var pieces = PiperPieces.Cut(sentence.Phonemes, maxPhonemes);
            for (var p = 0; p < pieces.Count; p++)
            {
                // The phonemizer reported the sentence's unknown phonemes once already: a piece's mapping stays quiet.
                var ids = pieces.Count == 1 ? sentence.PhonemeIds.ToArray() : PiperPhonemeIds.Map(pieces[p], Voice.Config.PhonemeIdMap);
                yield return new Piece(index, sentence.Text, p, pieces.Count, ids);
            }

            index++;
        }
    }

    private async Task<float[]> InferAsync(Piece piece, PiperScales scales, int? speakerId, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var raw = await Voice.InferAsync(piece.Ids, scales, speakerId, cancellationToken).ConfigureAwait(false);
        var inferenceMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Log.SentenceSynthesized(_logger, piece.Sentence, piece.Index, piece.Ids.Length, raw.Length, inferenceMs);
        return raw;
    }

    /// <summary>A piece's raw audio as a chunk ready to play; <paramref name="audio"/> is the sentence's, new at its first piece.</summary>
    private AudioChunk ToChunk(Piece piece, float[] raw, int silenceSamples, ref SentenceAudio? audio)
    {
        if (piece.Index == 0)
        {
            audio = new SentenceAudio(SampleRate);
        }

        // The pause goes before every sentence but the first, so the stream never ends in silence and a sentence need
        // not wait to learn whether another follows.
        var silence = piece.Sentence > 0 && piece.Index == 0 ? silenceSamples : 0;
        var samples = audio!.Next(raw, silence, cutBefore: piece.Index > 0, cutAfter: piece.Index < piece.Count - 1);
        return new AudioChunk(samples, SampleRate, piece.Sentence, piece.Text);
    }

    /// <summary>One piece of a sentence: the sentence's index and text, the piece's index and count, its model input.</summary>
    private sealed record Piece(int Sentence, string Text, int Index, int Count, long[] Ids);

    /// <summary>A piece whose inference has been queued.</summary>
    private sealed record RunningPiece(Piece Piece, Task<float[]> Audio);
}
