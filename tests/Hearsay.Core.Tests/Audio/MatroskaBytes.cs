using System.Buffers.Binary;

namespace Hearsay.Core.Tests.Audio;

/// <summary>Builds EBML elements byte by byte (8-byte sizes, or "unknown"), for WebM no muxer would write.</summary>
internal static class MatroskaBytes
{
    public const long Unknown = -1;

    public static byte[] Element(uint id, params byte[][] children) => Element(id, null, children);

    /// <summary>An element whose declared size may differ from its body (<see cref="Unknown"/>, or a lie).</summary>
    public static byte[] Element(uint id, long? declaredSize, params byte[][] children)
    {
        var body = children.SelectMany(c => c).ToArray();
        var idBytes = BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(id)).SkipWhile(b => b == 0).ToArray();
        var size = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(size, declaredSize == Unknown ? 0x01FF_FFFF_FFFF_FFFFUL : 0x0100_0000_0000_0000UL | (ulong)(declaredSize ?? body.Length));
        return [.. idBytes, .. size, .. body];
    }

    public static byte[] Uint(uint id, ulong value) => Element(id, [.. BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(value))]);

    public static byte[] Text(uint id, string value) => Element(id, System.Text.Encoding.ASCII.GetBytes(value));

    /// <summary>A SimpleBlock of track 1 holding <paramref name="frames"/> unlaced (one frame) or Xiph-laced.</summary>
    public static byte[] SimpleBlock(params byte[][] frames)
    {
        List<byte> body = [0x81, 0, 0, (byte)(frames.Length == 1 ? 0x80 : 0x82)];
        if (frames.Length > 1)
        {
            body.Add((byte)(frames.Length - 1));
            foreach (var frame in frames[..^1])
            {
                var rest = frame.Length;
                for (; rest >= 255; rest -= 255)
                {
                    body.Add(255);
                }

                body.Add((byte)rest);
            }
        }

        body.AddRange(frames.SelectMany(f => f));
        return Element(0xA3, [.. body]);
    }

    /// <summary>EBML header, then a Segment of unknown size (as MediaRecorder writes) holding <paramref name="children"/>.</summary>
    public static byte[] Webm(params byte[][] children) =>
        [.. Element(0x1A45DFA3, Text(0x4282, "webm")), .. Element(0x18538067, Unknown, children)];

    /// <summary>Tracks with one audio track of <paramref name="codec"/>.</summary>
    public static byte[] Tracks(string codec, byte[] codecPrivate) =>
        Element(0x1654AE6B, Element(0xAE, Uint(0xD7, 1), Uint(0x83, 2), Text(0x86, codec), Element(0x63A2, codecPrivate)));

    public static byte[] Cluster(params byte[][] blocks) => Element(0x1F43B675, Unknown, [Uint(0xE7, 0), .. blocks]);
}
