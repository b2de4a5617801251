using System.Text;

namespace Hearsay.Core.Onnx.Protobuf;

/// <summary>Writes protobuf fields to a stream: the few encodings an ONNX graph rewrite needs.</summary>
internal sealed class ProtoWriter(Stream stream)
{
    /// <summary>How many bytes <paramref name="value"/> takes as a varint.</summary>
    public static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    /// <summary>How many bytes a length-delimited field of <paramref name="length"/> bytes takes, tag included.</summary>
    public static long FieldSize(int field, long length) =>
        VarintSize((ulong)field << 3) + VarintSize((ulong)length) + length;

    /// <summary>A message's bytes, written by <paramref name="write"/> into a buffer of their own.</summary>
    public static byte[] Encode(Action<ProtoWriter> write)
    {
        using var buffer = new MemoryStream();
        write(new ProtoWriter(buffer));
        return buffer.ToArray();
    }

    public void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        stream.WriteByte((byte)value);
    }

    public void WriteTag(int field, WireType wireType) => WriteVarint(((ulong)field << 3) | (uint)wireType);

    /// <summary>The header of a length-delimited field whose <paramref name="length"/> bytes the caller writes next.</summary>
    public void WriteLengthPrefix(int field, long length)
    {
        WriteTag(field, WireType.LengthDelimited);
        WriteVarint((ulong)length);
    }

    public void WriteBytes(int field, ReadOnlySpan<byte> bytes)
    {
        WriteLengthPrefix(field, bytes.Length);
        stream.Write(bytes);
    }

    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    public void WriteInt64(int field, long value)
    {
        WriteTag(field, WireType.Varint);
        WriteVarint((ulong)value);
    }

    public void WriteFloat(int field, float value)
    {
        WriteTag(field, WireType.Fixed32);
        Span<byte> bytes = stackalloc byte[4];
        BitConverter.TryWriteBytes(bytes, value);
        stream.Write(bytes);
    }

    /// <summary>Bytes that are already encoded fields, copied as they are.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes) => stream.Write(bytes);
}
