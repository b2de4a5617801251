namespace Hearsay.Core.Tts.Phonemization;

/// <summary>A located espeak-ng executable.</summary>
/// <param name="ExecutablePath">Full path of the program.</param>
/// <param name="DataDirectory">
/// The folder holding <c>espeak-ng-data</c> when it sits beside the program (a bundled copy); null to let
/// espeak-ng use its built-in location.
/// </param>
/// <param name="Source">How it was found, e.g. "PATH" or "HEARSAY_ESPEAK_NG".</param>
public sealed record EspeakNgProgram(string ExecutablePath, string? DataDirectory, string Source);
