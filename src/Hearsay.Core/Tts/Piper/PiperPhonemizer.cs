using System.Diagnostics;
using System.Text;
using Hearsay.Core.Diagnostics;
using Hearsay.Core.Tts.Phonemization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hearsay.Core.Tts.Piper;

/// <summary>
/// Text to Piper sentences: the espeak-ng program phonemizes the text in one run, one line per clause; the
/// <see cref="ClauseSplitter"/> finds the same clauses and the punctuation that ended each, which Piper's rules keep;
/// the result is mapped to the voice's phoneme ids.
/// </summary>
/// <remarks>Thread-safe: each call runs its own espeak-ng process.</remarks>
public sealed class PiperPhonemizer
{
    private readonly PiperVoiceConfig _config;
    private readonly EspeakNgRunner _espeak;
    private readonly ILogger _logger;

    private PiperPhonemizer(PiperVoiceConfig config, EspeakNgRunner espeak, ILogger logger)
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
        return Create(config, new EspeakNgLocator().Locate(options.EspeakNgPath), options.Timeout, loggerFactory);
    }

    internal static PiperPhonemizer Create(
        PiperVoiceConfig config, EspeakNgProgram program, TimeSpan timeout, ILoggerFactory? loggerFactory)
    {
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PiperPhonemizer>();
        return new PiperPhonemizer(config, new EspeakNgRunner(program, timeout), logger);
    }

    /// <summary>Splits <paramref name="text"/> into sentences of phonemes and phoneme ids.</summary>
    /// <returns>The sentences; empty when the text has nothing to speak.</returns>
    /// <exception cref="HearsayException">espeak-ng failed or timed out.</exception>
    public async Task<IReadOnlyList<PiperSentence>> PhonemizeAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var started = Stopwatch.GetTimestamp();
        var clauses = ClauseSplitter.Split(text);
        if (clauses.Count == 0)
        {
            return [];
        }

        var clausePhonemes = await PhonemizeClausesAsync(text, clauses, cancellationToken).ConfigureAwait(false);
        var sentences = PiperSentenceAssembler.Assemble(clauses, clausePhonemes)
            .Select(s => new PiperSentence(s.Text, s.Phonemes, PiperPhonemeIds.Map(s.Phonemes, _config.PhonemeIdMap, LogMissing)))
            .ToList();

        var elapsed = Stopwatch.GetElapsedTime(started);
        HearsayMetrics.Phonemize.Record(elapsed.TotalSeconds);
        Log.Phonemized(_logger, clauses.Count, sentences.Count, _espeak.Program.ExecutablePath, elapsed.TotalMilliseconds);
        return sentences;
    }

    private async Task<string[]> PhonemizeClausesAsync(
        string text, IReadOnlyList<Clause> clauses, CancellationToken cancellationToken)
    {
        // The whole text in one run, so espeak-ng sees each clause in context exactly as Piper's library calls do.
        var voice = _config.EspeakVoice;
        var output = await _espeak.PhonemizeAsync(voice, ClauseSplitter.ToEspeakInput(text), cancellationToken)
            .ConfigureAwait(false);
        if (output.Length == clauses.Count)
        {
            return output;
        }

        // espeak-ng cut the text differently (it cuts long clauses where the splitter cuts earlier): go clause by
        // clause so every line of phonemes stays with the punctuation that ended it.
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
