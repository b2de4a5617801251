using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Hearsay.Core.Stt.Whisper.Features;

/// <summary>
/// Reads the float32 arrays of a NumPy <c>.npz</c> archive (the format OpenAI ships Whisper's mel filterbanks in).
/// Only what those files use is supported: little-endian <c>&lt;f4</c>, C order, format versions 1–3.
/// </summary>
internal static class NpyArray
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads array <paramref name="name"/> (without <c>.npy</c>) from an <c>.npz</c> stream.</summary>
    public static (float[] Data, int[] Shape) ReadFromNpz(Stream npz, string name)
    {
        using var archive = new ZipArchive(npz, ZipArchiveMode.Read, leaveOpen: true);
        var entry = archive.GetEntry(name + ".npy") ?? throw new InvalidDataException($"the archive has no array '{name}'");
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>Parses one <c>.npy</c> file.</summary>
    public static (float[] Data, int[] Shape) Parse(ReadOnlySpan<byte> npy)
    {
        if (npy.Length < 10 || !npy[..6].SequenceEqual(Magic))
        {
            throw new InvalidDataException("not a .npy array");
        }

        var major = npy[6];
        var (headerLength, headerStart) = major switch
        {
            1 => (BinaryPrimitives.ReadUInt16LittleEndian(npy[8..]), 10),
            2 or 3 => ((int)BinaryPrimitives.ReadUInt32LittleEndian(npy[8..]), 12),
            _ => throw new InvalidDataException($".npy format version {major} is not supported"),
        };
        var header = Encoding.ASCII.GetString(npy.Slice(headerStart, headerLength));
        if (!header.Contains("'descr': '<f4'", StringComparison.Ordinal) ||
            !header.Contains("'fortran_order': False", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"only little-endian float32 C-order arrays are supported, not {header.Trim()}");
        }

        var shape = ParseShape(header);
        var count = shape.Aggregate(1L, (product, dimension) => product * dimension);
        var body = npy[(headerStart + headerLength)..];
        if (body.Length != count * sizeof(float))
        {
            throw new InvalidDataException($"the array has {body.Length} data bytes, expected {count * sizeof(float)}");
        }

        var data = new float[count];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = BinaryPrimitives.ReadSingleLittleEndian(body[(i * sizeof(float))..]);
        }

        return (data, shape);
    }

    private static int[] ParseShape(string header)
    {
        var start = header.IndexOf("'shape': (", StringComparison.Ordinal);
        var end = start < 0 ? -1 : header.IndexOf(')', start);
        if (end < 0)
        {
            throw new InvalidDataException("the .npy header has no shape");
        }

        var text = header[(start + "'shape': (".Length)..end];
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => int.Parse(part, System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
    }
}
