namespace Hearsay.Core.Tts.Phonemization;

/// <summary>
/// Plans how a text's clauses are sent to espeak-ng: a short text in one call when a call is costly (a process of the
/// native program costs about 20 ms); otherwise in calls of whole sentences, the first just one sentence so it can be
/// spoken within milliseconds, each next one twice as long, so a 10,000-character text needs a handful of calls and
/// its first sentence does not wait for the rest.
/// </summary>
internal static class ClauseBatches
{
    /// <summary>With the native program, texts up to this many characters are phonemized in one call.</summary>
    internal const int NativeSingleCallCharacters = 1000;

    /// <summary>The second batch's size; each later batch is twice the one before.</summary>
    internal const int SecondBatchCharacters = 1000;

    /// <summary>No batch after the first grows past this many characters (it may end later, at a sentence end).</summary>
    internal const int MaxBatchCharacters = 8000;

    /// <param name="clauses">The text's clauses.</param>
    /// <param name="singleCallCharacters">Texts up to this long go in one call (<see cref="IEspeakNg.SingleCallCharacters"/>).</param>
    /// <returns>Consecutive ranges of clause indices covering every clause; each ends at a sentence end.</returns>
    public static List<Range> Plan(IReadOnlyList<Clause> clauses, int singleCallCharacters)
    {
        var batches = new List<Range>();
        if (clauses.Sum(c => c.Text.Length) <= singleCallCharacters)
        {
            if (clauses.Count > 0)
            {
                batches.Add(0..clauses.Count);
            }

            return batches;
        }

        var start = 0;
        var characters = 0;
        var budget = 1; // The first batch closes at the first sentence end.
        for (var i = 0; i < clauses.Count; i++)
        {
            characters += clauses[i].Text.Length;
            if ((clauses[i].EndsSentence && characters >= budget) || i == clauses.Count - 1)
            {
                batches.Add(start..(i + 1));
                start = i + 1;
                characters = 0;
                budget = Math.Min(budget == 1 ? SecondBatchCharacters : budget * 2, MaxBatchCharacters);
            }
        }

        return batches;
    }
}
