namespace Hearsay.Core.Audio.Ogg;

/// <summary>
/// Ogg's page checksum (RFC 3533 section 6): CRC-32 with polynomial 0x04C11DB7, not reflected, initial value 0 and no
/// final XOR, computed over the whole page with the checksum field taken as zero.
/// </summary>
internal static class OggCrc
{
    private static readonly uint[] Table = CreateTable();

    /// <summary>Continues <paramref name="crc"/> over <paramref name="data"/>.</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var value in data)
        {
            crc = (crc << 8) ^ Table[(byte)(crc >> 24) ^ value];
        }

        return crc;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var r = i << 24;
            for (var bit = 0; bit < 8; bit++)
            {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }

            table[i] = r;
        }

        return table;
    }
}
