using Hearsay.Core.Onnx.Protobuf;
using Hearsay.Testing;

namespace Hearsay.Core.Tests.Onnx;

public class OnnxModelFileTests
{
    [Theory]
    [InlineData("tiny-en-decoder.onnx")]
    [InlineData("tiny-en-decoder.int8.onnx")]
    public void TryView_EveryConstantOfItsType_EqualsTheCopyRead(string decoder)
    {
        using var file = OnnxModelFile.Open(TestPaths.RepoAsset("whisper", "tiny-en", decoder));
        var (floats, int8s) = (0, 0);

        foreach (var tensor in file.Graph.Constants.Values)
        {
            if (file.TryView<float>(tensor, OnnxDataType.Float, out var viewed))
            {
                Assert.Equal(file.ReadFloats(tensor), viewed.ToArray());
                Assert.False(file.TryView<sbyte>(tensor, OnnxDataType.Int8, out _));
                floats++;
            }
            else if (file.TryView<sbyte>(tensor, OnnxDataType.Int8, out var quantized))
            {
                Assert.Equal(file.ReadInt8(tensor), quantized.ToArray());
                int8s++;
            }
        }

        Assert.True(floats > 10, $"{floats} float constants viewed");
        Assert.Equal(decoder.Contains(".int8.", StringComparison.Ordinal), int8s > 0);
    }

    [Fact]
    public void Open_SymbolicLinkToTheModel_ReadsTheFileItPointsTo()
    {
        var target = TestPaths.RepoAsset("whisper", "tiny-en", "tiny-en-decoder.onnx");
        var directory = Directory.CreateTempSubdirectory("hearsay-onnx-link-");
        try
        {
            var link = new FileInfo(File.CreateSymbolicLink(Path.Combine(directory.FullName, "decoder.onnx"), target).FullName);
            Assert.True(link.Length < 1024, $"the link itself is {link.Length} bytes");

            using var linked = OnnxModelFile.Open(link.FullName);
            using var direct = OnnxModelFile.Open(target);

            Assert.Equal(direct.Graph.Constants.Keys.Order(), linked.Graph.Constants.Keys.Order());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
