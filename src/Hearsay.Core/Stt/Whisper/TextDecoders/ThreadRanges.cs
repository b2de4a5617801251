namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>
/// How the decoder splits work across threads: [0, count) as <c>parts</c> contiguous ranges of equal length (the
/// last one shorter), one per thread. The split decides which elements a thread sums, so every kernel that splits
/// work splits it here, the same way.
/// </summary>
internal static class ThreadRanges
{
    /// <summary>Runs <paramref name="body"/> once per range; a single part runs on the calling thread.</summary>
    public static void For(int count, int parts, RangeAction body)
    {
        parts = Math.Max(1, parts);
        var chunk = (count + parts - 1) / parts;
        if (parts == 1)
        {
            body(0, 0, count);
            return;
        }

        ForkJoin.Run(parts, part =>
        {
            var start = part * chunk;
            body(part, start, Math.Min(count, start + chunk));
        });
    }

    /// <summary>Part <paramref name="part"/>'s work: elements <paramref name="start"/> to <paramref name="end"/> (exclusive).</summary>
    public delegate void RangeAction(int part, int start, int end);
}
