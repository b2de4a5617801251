using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Hearsay.Core.Diagnostics;
using Hearsay.Core.Tts.Phonemization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hearsay.Core.Tts.Piper;

/// <summary>
/// Text to Piper sentences: the espeak-ng program phonemizes the text, one line per clause; the
/// <see cref="ClauseSplitter"/> finds the same clauses and the punctuation that ended each, which Piper's rules keep;
/// the result is mapped to the voice's phoneme ids.
/// </summary>
/// <remarks>
/// Thread-safe: the native program runs once per call; the portable phonemizer's worker takes one call at a time.
/// Dispose stops the portable phonemizer's worker.
/// </remarks>
public sealed class PiperPhonemizer : IDisposable
{
    private readonly PiperVoiceConfig _config;
    private readonly IEspeakNg _espeak;
    private readonly ILogger _logger;

    private PiperPhonemizer(PiperVoiceConfig config, IEspeakNg espeak, ILogger logger)
    {
        _config = config;
        _espeak = espeak;
        _logger = logger;
    }

    /// <summary>The espeak-ng program in use.</summary>
    public EspeakNgProgram EspeakNg => _espeak.Program;

    /// <summary>Creates a phonemizer for a voice, locating espeak-ng.</summary>
    /// <exception cref="DependencyUnavailableException">espeak-ng cannot be found.</exception>
    public static PiperPhonemizer Create(
        PiperVoiceConfig config, PhonemizerOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        options ??= new PhonemizerOptions();
        return Create(config, new EspeakNgLocator().Locate(options.EspeakNgPath, options.Kind), options, loggerFactory);
    }

    internal static PiperPhonemizer Create(
        PiperVoiceConfig config, EspeakNgProgram program, PhonemizerOptions options, ILoggerFactory? loggerFactory)
    {
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PiperPhonemizer>();
        return new PiperPhonemizer(config, EspeakNgRunners.Create(program, options, logger), logger);
    }

    /// <summary>Starts the portable phonemizer's worker now, so the first text does not wait for it.</summary>
    /// <exception cref="HearsayException">The worker could not be started.</exception>
    internal Task StartAsync(CancellationToken cancellationToken) => _espeak.StartAsync(cancellationToken);

    /// <summary>Stops the portable phonemizer's worker, if this phonemizer started one.</summary>
    public void Dispose() => _espeak.Dispose();

    /// <summary>Splits <paramref name="text"/> into sentences of phonemes and phoneme ids.</summary>
    /// <returns>The sentences; empty when the text has nothing to speak.</returns>
    /// <exception cref="HearsayException">espeak-ng failed or timed out.</exception>
    public async Task<IReadOnlyList<PiperSentence>> PhonemizeAsync(string text, CancellationToken cancellationToken = default)
    {
        var sentences = new List<PiperSentence>();
        await foreach (var sentence in PhonemizeStreamAsync(text, cancellationToken).ConfigureAwait(false))
        {
            sentences.Add(sentence);
        }

        return sentences;
    }

    /// <summary>
    /// Like <see cref="PhonemizeAsync"/>, but yields each sentence as soon as its part of the text is phonemized: a
    /// text is phonemized in batches of sentences (see <see cref="ClauseBatches"/>; a short one in a single batch when
    /// each call starts a process), the next batch while the caller works on the current one.
    /// </summary>
    /// <exception cref="HearsayException">espeak-ng failed or timed out.</exception>
    public async IAsyncEnumerable<PiperSentence> PhonemizeStreamAsync(
        string text, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var clauses = ClauseSplitter.Split(text);
        var batches = ClauseBatches.Plan(clauses, _espeak.SingleCallCharacters).Select(range => clauses.Take(range).ToList()).ToList();
        if (batches.Count == 0)
        {
            yield break;
        }

        using var prefetch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<string[]>? pending = PhonemizeBatchAsync(batches[0], prefetch.Token);
        try
        {
            for (var b = 0; b < batches.Count; b++)
            {
                var phonemes = await pending!.ConfigureAwait(false);
                pending = b + 1 < batches.Count ? PhonemizeBatchAsync(batches[b + 1], prefetch.Token) : null;
                foreach (var sentence in PiperSentenceAssembler.Assemble(batches[b], phonemes))
                {
                    yield return new PiperSentence(
                        sentence.Text, sentence.Phonemes, PiperPhonemeIds.Map(sentence.Phonemes, _config.PhonemeIdMap, LogMissing));
                }
            }
        }
        finally
        {
            await WorkAhead.AbandonAsync(pending, prefetch).ConfigureAwait(false);
        }
    }

    /// <summary>Phonemizes one batch of clauses; one line of phonemes per clause.</summary>
    private async Task<string[]> PhonemizeBatchAsync(List<Clause> batch, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var phonemes = await PhonemizeClausesAsync(batch, cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        HearsayMetrics.Phonemize.Record(elapsed.TotalSeconds);
        Log.Phonemized(_logger, batch.Count, _espeak.Program.ExecutablePath, elapsed.TotalMilliseconds);
        return phonemes;
    }

    private async Task<string[]> PhonemizeClausesAsync(List<Clause> clauses, CancellationToken cancellationToken)
    {
        // The clauses' text in one run, so espeak-ng sees each clause in context as Piper's library calls do.
        var voice = _config.EspeakVoice;
        var text = string.Concat(clauses.Select(c => c.Text));
        var output = await _espeak.PhonemizeAsync(voice, ClauseSplitter.ToEspeakInput(text), cancellationToken)
            .ConfigureAwait(false);
        if (output.Length == clauses.Count)
        {
            return output;
        }

        // espeak-ng found other clause boundaries than the splitter (possible around punctuation with no letters
        // near it): go clause by clause so every line of phonemes stays with the punctuation that ended it.
        Log.ClauseSplitMismatch(_logger, clauses.Count, output.Length);
        var result = new string[clauses.Count];
        for (var i = 0; i < clauses.Count; i++)
        {
            var parts = await _espeak.PhonemizeAsync(voice, ClauseSplitter.ToEspeakInput(clauses[i].Text), cancellationToken)
                .ConfigureAwait(false);
            result[i] = string.Join(' ', parts.Select(p => p.Trim()).Where(p => p.Length > 0));
        }

        return result;
    }

    private void LogMissing(Rune phoneme) => Log.PhonemeSkipped(_logger, phoneme, phoneme.Value);
}
