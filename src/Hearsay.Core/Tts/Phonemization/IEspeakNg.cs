namespace Hearsay.Core.Tts.Phonemization;

/// <summary>espeak-ng as Hearsay runs it: the native program, or the portable phonemizer's worker.</summary>
internal interface IEspeakNg : IDisposable
{
    /// <summary>Which espeak-ng, found where.</summary>
    EspeakNgProgram Program { get; }

    /// <summary>
    /// Texts up to this many characters are phonemized in one call (see <see cref="ClauseBatches"/>): worth it when a
    /// call costs a process start; 0 when a call is cheap, so the first sentence is always sent alone.
    /// </summary>
    int SingleCallCharacters { get; }

    /// <summary>
    /// Phonemizes <paramref name="text"/> as <c>espeak-ng -q -b 1 --ipa --stdin -v voice</c> does and returns one line
    /// of phonemes per clause espeak-ng found.
    /// </summary>
    /// <exception cref="HearsayException">espeak-ng failed, rejected the voice, or did not finish in time.</exception>
    Task<string[]> PhonemizeAsync(string voice, string text, CancellationToken cancellationToken);

    /// <summary>Gets ready for the first text (starts the portable phonemizer's worker), so that text does not wait.</summary>
    /// <exception cref="HearsayException">The worker could not be started.</exception>
    Task StartAsync(CancellationToken cancellationToken);
}
