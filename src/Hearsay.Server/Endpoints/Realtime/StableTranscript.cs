namespace Hearsay.Server.Endpoints.Realtime;

/// <summary>
/// What of an utterance's interim decodes may be sent as <c>delta</c>: only whole words that two consecutive decodes
/// agree on, so text once sent is rarely contradicted by a later, longer decode.
/// </summary>
internal sealed class StableTranscript
{
    private string? _previous;

    /// <summary>The text sent so far as deltas.</summary>
    public string Sent { get; private set; } = "";

    /// <summary>Takes the text of a new interim decode.</summary>
    /// <returns>The new stable text to send as a delta (empty for none), and the unstable tail after everything sent.</returns>
    public (string Delta, string Tail) Interim(string text)
    {
        var delta = "";
        if (_previous is { } previous)
        {
            var stable = WholeWords(CommonPrefix(previous, text), previous, text);
            if (stable.Length > Sent.Length && stable.StartsWith(Sent, StringComparison.Ordinal))
            {
                delta = stable[Sent.Length..];
                Sent = stable;
            }
        }

        _previous = text;
        var tail = text.StartsWith(Sent, StringComparison.Ordinal) ? text[Sent.Length..] : "";
        return (delta, tail);
    }

    /// <summary>The last delta for the final transcript: the rest after what was sent, or null when the final decode
    /// revised text already sent (the deltas then do not add up to the transcript).</summary>
    public string? Final(string transcript) =>
        transcript.StartsWith(Sent, StringComparison.Ordinal) ? transcript[Sent.Length..] : null;

    private static string CommonPrefix(string a, string b)
    {
        var length = a.AsSpan().CommonPrefixLength(b);
        return a[..length];
    }

    /// <summary>Cuts the common prefix back to a word boundary in both texts: "hello wor" of "hello world" and "hello word" is "hello".</summary>
    private static string WholeWords(string common, string a, string b)
    {
        bool Boundary(string text) => common.Length == text.Length || char.IsWhiteSpace(text[common.Length]);

        if (Boundary(a) && Boundary(b))
        {
            return common;
        }

        var space = common.LastIndexOf(' ');
        return space <= 0 ? "" : common[..space];
    }
}
