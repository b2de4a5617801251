namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>
/// Recognises MP3 by content (after any ID3v2 tags, which the caller skips): a valid frame header followed by another
/// valid one where the first frame's length says, so that noise with a stray sync word is not taken for MP3.
/// </summary>
internal static class Mp3Sniffer
{
    /// <summary>Looks at the start of <paramref name="input"/> without consuming it (it may buffer more).</summary>
    public static async ValueTask<bool> IsMp3Async(BufferedInput input, CancellationToken cancellationToken)
    {
        if (!Mp3FrameHeader.TryRead(input.Buffered, out var first))
        {
            return false;
        }

        var wanted = Math.Min(input.Capacity, (2 * Mp3FrameHeader.MaxFrameLength) + Mp3FrameHeader.Length);
        var buffered = await input.FillAsync(wanted, cancellationToken).ConfigureAwait(false);
        var data = input.Buffered[..buffered];
        if (first.IsFreeFormat)
        {
            // No length to check: look for the next header of the same stream (free format is then refused plainly).
            for (var offset = Mp3FrameHeader.Length; offset < data.Length; offset++)
            {
                if (Mp3FrameHeader.TryRead(data[offset..], out var next) && next.IsFreeFormat && first.Continues(next))
                {
                    return true;
                }
            }

            return false;
        }

        var length = first.FrameLength;
        return length == data.Length
            || (Mp3FrameHeader.TryRead(data[Math.Min(length, data.Length)..], out var second) && first.Continues(second));
    }
}
