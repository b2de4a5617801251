using Hearsay.Core.Stt;

namespace Hearsay.Server.Endpoints.Realtime;

/// <summary>
/// Which of an utterance's text is settled, as local agreement does it (Macháček et al., whisper_streaming): a Whisper
/// segment that two consecutive interim decodes give alike (same text, same end within 0.2 s), and that ends at least a
/// second before the audio decoded so far, is sent as a <c>delta</c> and never decoded again. Later decodes, the final
/// one included, start at its end with the settled text as their prompt, so the deltas of an item always add up to its
/// transcript, whatever a later decode would have made of the settled audio.
/// </summary>
/// <remarks>Used by the session's transcription worker only, one decode at a time.</remarks>
internal sealed class StableTranscript
{
    private const double EndTolerance = 0.2;
    private const double EdgeMargin = 1.0;

    private IReadOnlyList<(string Text, double End)>? _previous;

    /// <summary>The text sent so far as deltas.</summary>
    public string Sent { get; private set; } = "";

    /// <summary>Seconds from the utterance's start covered by <see cref="Sent"/>: where the next decode starts.</summary>
    public double SettledSeconds { get; private set; }

    /// <summary>Takes an interim decode of the audio from <see cref="SettledSeconds"/> on.</summary>
    /// <param name="decoded">The decode.</param>
    /// <param name="decodedSeconds">How much audio it covered.</param>
    /// <returns>The newly settled text to send as a delta (empty for none), and the unsettled rest for a UI.</returns>
    public (string Delta, string Tail) Interim(Transcription decoded, double decodedSeconds)
    {
        var segments = decoded.Segments.Select(segment => (segment.Text, End: SettledSeconds + segment.End)).ToList();
        var agreed = 0;
        if (_previous is { } previous)
        {
            // The last segment may stop mid-word at the edge of the audio; it is never settled.
            var edge = SettledSeconds + decodedSeconds - EdgeMargin;
            while (agreed < segments.Count - 1 && agreed < previous.Count
                && string.Equals(segments[agreed].Text, previous[agreed].Text, StringComparison.Ordinal)
                && Math.Abs(segments[agreed].End - previous[agreed].End) <= EndTolerance
                && segments[agreed].End > SettledSeconds && segments[agreed].End <= edge)
            {
                agreed++;
            }
        }

        var delta = "";
        if (agreed > 0)
        {
            delta = Join(string.Concat(segments.Take(agreed).Select(segment => segment.Text)));
            Sent += delta;
            SettledSeconds = segments[agreed - 1].End;
            _previous = null;
        }
        else
        {
            _previous = segments;
        }

        var tail = string.Concat(segments.Skip(agreed).Select(segment => segment.Text));
        return (delta, Sent.Length == 0 ? tail.TrimStart() : tail);
    }

    /// <summary>The last delta: the final decode of the audio after <see cref="SettledSeconds"/>, joined to what was sent.</summary>
    public string Final(Transcription decoded) => Join(decoded.Text);

    /// <summary>The prompt of the next decode: the session's prompt, then the settled text (Whisper reads the end of it).</summary>
    public string? Prompt(string? sessionPrompt)
    {
        if (Sent.Length == 0)
        {
            return sessionPrompt;
        }

        var prompt = sessionPrompt is null ? Sent : sessionPrompt + " " + Sent;
        return prompt.Length <= TranscribeOptions.MaxPromptLength ? prompt : prompt[^TranscribeOptions.MaxPromptLength..];
    }

    /// <summary>Text to append after <see cref="Sent"/>: trimmed, with one space between it and text already sent.</summary>
    private string Join(string text)
    {
        var trimmed = text.Trim();
        return Sent.Length == 0 || trimmed.Length == 0 ? trimmed : " " + trimmed;
    }
}
