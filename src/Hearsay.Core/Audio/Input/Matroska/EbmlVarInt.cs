using System.Numerics;

namespace Hearsay.Core.Audio.Input.Matroska;

/// <summary>EBML's variable-length integers (RFC 8794 section 4): element IDs, element sizes, block track numbers.</summary>
internal static class EbmlVarInt
{
    /// <summary>The value of a size whose bits are all ones: "unknown", allowed for Segment and Cluster (live recordings).</summary>
    public const long UnknownSize = -1;

    /// <summary>
    /// Reads one integer of at most <paramref name="maxLength"/> bytes; its length (0 when <paramref name="data"/> is too
    /// short to say, -1 when the first byte does not encode a length up to <paramref name="maxLength"/>).
    /// </summary>
    /// <param name="data">The bytes from the integer's first.</param>
    /// <param name="maxLength">4 for IDs, 8 for sizes.</param>
    /// <param name="keepMarker">IDs keep their length marker bit (Matroska's tables list them so); sizes drop it.</param>
    /// <param name="value">The value; <see cref="UnknownSize"/> for a size of all ones.</param>
    public static int Read(ReadOnlySpan<byte> data, int maxLength, bool keepMarker, out long value)
    {
        value = 0;
        if (data.IsEmpty)
        {
            return 0;
        }

        var length = BitOperations.LeadingZeroCount((uint)data[0]) - 23;
        if (data[0] == 0 || length > maxLength)
        {
            return -1;
        }

        if (data.Length < length)
        {
            return 0;
        }

        long raw = 0;
        foreach (var b in data[..length])
        {
            raw = (raw << 8) | b;
        }

        var payloadMask = (1L << (7 * length)) - 1;
        value = keepMarker ? raw : raw & payloadMask;
        if (!keepMarker && value == payloadMask)
        {
            value = UnknownSize;
        }

        return length;
    }
}
