namespace Hearsay.Core.Audio.Input.Flac;

/// <summary>
/// The two checksums of a FLAC frame (RFC 9639 §9.1.8 and §9.3): CRC-8 (polynomial 0x07) over the frame header and
/// CRC-16 (polynomial 0x8005) over the whole frame, both MSB first with a zero start.
/// </summary>
internal static class FlacCrc
{
    private static readonly byte[] Table8 = BuildTable8();
    private static readonly ushort[] Table16 = BuildTable16();

    public static byte Crc8(ReadOnlySpan<byte> data)
    {
        byte crc = 0;
        foreach (var b in data)
        {
            crc = Table8[crc ^ b];
        }

        return crc;
    }

    public static ushort Crc16(ReadOnlySpan<byte> data)
    {
        var table = Table16;
        uint crc = 0;
        foreach (var b in data)
        {
            crc = ((crc << 8) ^ table[(crc >> 8) ^ b]) & 0xFFFF;
        }

        return (ushort)crc;
    }

    private static byte[] BuildTable8()
    {
        var table = new byte[256];
        for (var i = 0; i < 256; i++)
        {
            var crc = i;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x80) != 0 ? (crc << 1) ^ 0x07 : crc << 1;
            }

            table[i] = (byte)crc;
        }

        return table;
    }

    private static ushort[] BuildTable16()
    {
        var table = new ushort[256];
        for (var i = 0; i < 256; i++)
        {
            var crc = i << 8;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x8005 : crc << 1;
            }

            table[i] = (ushort)crc;
        }

        return table;
    }
}
