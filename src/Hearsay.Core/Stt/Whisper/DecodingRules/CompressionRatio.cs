using System.IO.Compression;
using System.Text;

namespace Hearsay.Core.Stt.Whisper.DecodingRules;

/// <summary>OpenAI's repetition measure: UTF-8 length over zlib-compressed length (zlib level 6, Python's default).</summary>
internal static class CompressionRatio
{
    public static double Of(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length == 0)
        {
            return 0; // Python: 0 bytes over zlib's 8-byte empty stream
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, new ZLibCompressionOptions { CompressionLevel = 6 }, leaveOpen: true))
        {
            zlib.Write(bytes);
        }

        return (double)bytes.Length / compressed.Length;
    }
}
