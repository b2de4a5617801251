namespace Hearsay.Core.Tts.Phonemization;

/// <summary>A located espeak-ng: the native program, or the portable phonemizer's module.</summary>
/// <param name="ExecutablePath">Full path of the program, or of <c>espeak-ng.wasm</c> for the portable phonemizer.</param>
/// <param name="DataDirectory">
/// The folder holding <c>espeak-ng-data</c> when it sits beside the program (a bundled copy, and always for the
/// portable phonemizer); null to let espeak-ng use its built-in location.
/// </param>
/// <param name="Source">How it was found, e.g. "PATH" or "HEARSAY_ESPEAK_NG".</param>
/// <param name="Kind">Whether it is the native program or the portable phonemizer.</param>
public sealed record EspeakNgProgram(string ExecutablePath, string? DataDirectory, string Source, PhonemizerKind Kind = PhonemizerKind.Native);
