namespace Hearsay.Core.Stt.Whisper.Model;

/// <summary>The ranks of a byte-level BPE vocabulary: each token's bytes, as Latin-1 characters, and its id.</summary>
internal interface ITokenRanks
{
    /// <summary>The rank (id) of the token whose bytes are <paramref name="bytes"/>, if there is one.</summary>
    bool TryGetRank(ReadOnlySpan<char> bytes, out int rank);
}

/// <summary>
/// tiktoken's byte-pair merge of one pre-tokenized piece: from single bytes, the adjacent pair whose joined bytes have
/// the lowest rank is merged, the leftmost first among equal ranks, until no joined pair is a token.
/// </summary>
/// <remarks>
/// Rescanning every pair after each merge costs O(n²) on a long piece: a 100 KB word without spaces took 135 s. Here
/// the candidate pairs wait in a priority queue keyed by (rank, position) and the parts form a linked list, so a merge
/// costs O(log n) and only the two pairs it creates are looked up: O(n log n) for any piece, with at most
/// <c>4n</c> rank lookups.
/// </remarks>
internal static class BytePairMerge
{
    // A piece this many merges long checks for cancellation between batches.
    private const int MergesPerCancellationCheck = 4096;

    /// <summary>Appends the tokens of <paramref name="piece"/> (its bytes as Latin-1 characters) to <paramref name="tokens"/>.</summary>
    /// <exception cref="InvalidOperationException">A single byte is not a token.</exception>
    public static void Encode<TRanks>(ReadOnlySpan<char> piece, TRanks ranks, List<int> tokens, CancellationToken cancellationToken)
        where TRanks : ITokenRanks
    {
        if (ranks.TryGetRank(piece, out var whole))
        {
            tokens.Add(whole);
            return;
        }

        // Parts are named by their first byte; next[part] is where the following part starts (piece.Length after the
        // last), and -1 once the part has been merged into the one before it.
        var length = piece.Length;
        var next = new int[length];
        var previous = new int[length];
        for (var i = 0; i < length; i++)
        {
            next[i] = i + 1;
            previous[i] = i - 1;
        }

        // Priority rank·2³² + start orders by rank, then leftmost. An entry is stale once either part has changed.
        var queue = new PriorityQueue<(int Left, int Right, int End), long>(length);
        for (var left = 0; left < length - 1; left++)
        {
            Offer(piece, ranks, next, queue, left);
        }

        var merges = 0;
        while (queue.TryDequeue(out var pair, out _))
        {
            var (left, right, end) = pair;
            if (next[left] != right || next[right] != end)
            {
                continue;
            }

            next[left] = end;
            next[right] = -1;
            if (end < length)
            {
                previous[end] = left;
            }

            if (previous[left] >= 0)
            {
                Offer(piece, ranks, next, queue, previous[left]);
            }

            Offer(piece, ranks, next, queue, left);
            if (++merges % MergesPerCancellationCheck == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        for (var start = 0; start < length; start = next[start])
        {
            tokens.Add(ranks.TryGetRank(piece[start..next[start]], out var id)
                ? id
                : throw new InvalidOperationException("The vocabulary does not cover every byte."));
        }
    }

    /// <summary>Queues the pair of the part at <paramref name="left"/> and the next one, if together they are a token.</summary>
    private static void Offer<TRanks>(
        ReadOnlySpan<char> piece, TRanks ranks, int[] next, PriorityQueue<(int Left, int Right, int End), long> queue, int left)
        where TRanks : ITokenRanks
    {
        var right = next[left];
        if (right >= piece.Length)
        {
            return;
        }

        var end = next[right];
        if (ranks.TryGetRank(piece[left..end], out var rank))
        {
            queue.Enqueue((left, right, end), ((long)rank << 32) | (uint)left);
        }
    }
}
