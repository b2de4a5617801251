namespace Hearsay.Core.Tts.Phonemization;

/// <summary>How to find and run espeak-ng.</summary>
public sealed record PhonemizerOptions
{
    /// <summary>The espeak-ng program (or its folder).</summary>
    /// <value>The default, null, searches <c>HEARSAY_ESPEAK_NG</c>, the Hearsay binary's folder, then <c>PATH</c>.</value>
    public string? EspeakNgPath { get; init; }

    /// <summary>How long one espeak-ng run may take before it is stopped.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
