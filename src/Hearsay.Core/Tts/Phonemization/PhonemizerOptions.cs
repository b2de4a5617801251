namespace Hearsay.Core.Tts.Phonemization;

/// <summary>How to find and run espeak-ng.</summary>
public sealed record PhonemizerOptions
{
    /// <summary>The espeak-ng program (or its folder).</summary>
    /// <value>
    /// The default, null, searches <c>HEARSAY_ESPEAK_NG</c>, the portable phonemizer beside the Hearsay binary, the
    /// native program beside it, <c>PATH</c>, then where installers put it (ADR 0010).
    /// </value>
    public string? EspeakNgPath { get; init; }

    /// <summary>Forces the native program or the portable phonemizer.</summary>
    /// <value>The default, null, takes the first found in the order above.</value>
    public PhonemizerKind? Kind { get; init; }

    /// <summary>How long one espeak-ng run may take before it is stopped.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The <c>hearsay</c> program (or <c>hearsay.dll</c>) whose worker mode runs the portable phonemizer.</summary>
    /// <value>The default, null, is this process when it is <c>hearsay</c>, else the one beside the application.</value>
    public string? WorkerPath { get; init; }
}
