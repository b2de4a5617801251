using Hearsay.Core.Onnx.Protobuf;
using Hearsay.Testing;

namespace Hearsay.Core.Tests.Onnx;

public class ProtobufReaderTests
{
    [Fact]
    public void ReadVarint_MultiByte_DecodesLittleEndianGroups()
    {
        var reader = new ProtoReader([0xAC, 0x02, 0x01], 0);

        Assert.Equal(300UL, reader.ReadVarint());
        Assert.Equal(1UL, reader.ReadVarint());
        Assert.True(reader.AtEnd);
    }

    [Fact]
    public void ReadBytes_ReportsTheAbsoluteOffset()
    {
        var reader = new ProtoReader([0x0A, 0x02, 0x68, 0x69], 100);

        Assert.True(reader.TryReadTag(out var field, out var wire));
        var bytes = reader.ReadBytes(out var offset).ToArray();

        Assert.Equal((1, WireType.LengthDelimited), (field, wire));
        Assert.Equal("hi"u8.ToArray(), bytes);
        Assert.Equal(102, offset);
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0x05, 0x68 })] // length past the end
    [InlineData(new byte[] { 0x80, 0x80 })] // varint cut off
    [InlineData(new byte[] { 0x0B })] // wire type 3 (groups) is not used by ONNX
    [InlineData(new byte[] { 0x0D, 0x01 })] // fixed32 cut off
    public void Malformed_Throws(byte[] message)
    {
        Assert.Throws<InvalidDataException>(() =>
        {
            var reader = new ProtoReader(message, 0);
            while (reader.TryReadTag(out _, out var wire))
            {
                reader.Skip(wire);
            }
        });
    }

    [Fact]
    public void Open_TextFile_IsNotAnOnnxModel()
    {
        using var directory = new TemporaryDirectory();
        var path = Path.Combine(directory.Path, "notes.onnx");
        File.WriteAllText(path, "hello, this is not a model");

        Assert.Throws<InvalidDataException>(() => OnnxModelFile.Open(path).Dispose());
    }
}
