using Hearsay.Core.Onnx.Protobuf;

namespace Hearsay.Core.Tests.Onnx;

public class ProtoWriterTests
{
    [Theory]
    [InlineData(0UL, 1)]
    [InlineData(127UL, 1)]
    [InlineData(128UL, 2)]
    [InlineData(300UL, 2)]
    [InlineData(ulong.MaxValue, 10)]
    public void WriteVarint_TakesVarintSizeBytesAndReadsBack(ulong value, int size)
    {
        var bytes = ProtoWriter.Encode(writer => writer.WriteVarint(value));

        Assert.Equal(size, ProtoWriter.VarintSize(value));
        Assert.Equal(size, bytes.Length);
        Assert.Equal(value, new ProtoReader(bytes, 0).ReadVarint());
    }

    [Fact]
    public void Fields_ReadBackWithTheirNumbersAndValues()
    {
        var bytes = ProtoWriter.Encode(writer =>
        {
            writer.WriteString(3, "MultiHeadAttention");
            writer.WriteInt64(20, 2);
            writer.WriteFloat(2, -0.25f);
        });

        var reader = new ProtoReader(bytes, 0);
        Assert.True(reader.TryReadTag(out var field, out var wire));
        Assert.Equal((3, WireType.LengthDelimited, "MultiHeadAttention"), (field, wire, reader.ReadString()));
        Assert.True(reader.TryReadTag(out field, out wire));
        Assert.Equal((20, WireType.Varint, 2UL), (field, wire, reader.ReadVarint()));
        Assert.True(reader.TryReadTag(out field, out wire));
        Assert.Equal((2, WireType.Fixed32, -0.25f), (field, wire, reader.ReadFixed32Float()));
        Assert.True(reader.AtEnd);
    }

    [Fact]
    public void FieldSize_IsWhatALengthDelimitedFieldTakes()
    {
        var payload = new byte[200];

        var bytes = ProtoWriter.Encode(writer => writer.WriteBytes(21, payload));

        Assert.Equal(bytes.Length, ProtoWriter.FieldSize(21, payload.Length));
    }
}
