using System.Runtime.InteropServices;
using Hearsay.Core.Stt.Whisper.TextDecoders;

namespace Hearsay.Core.Tests.Stt.Whisper.TextDecoders;

/// <summary>A token embedding written to a temporary file after a few bytes of something else, as a model file holds it, and read back as <see cref="EmbeddingRows"/>.</summary>
internal sealed class EmbeddingFile : IDisposable
{
    private const int Prefix = 3;

    private readonly string _path = Path.GetTempFileName();

    public EmbeddingFile(float[] table, int width)
    {
        using (var stream = File.Create(_path))
        {
            stream.Write(new byte[Prefix]);
            stream.Write(MemoryMarshal.AsBytes(table.AsSpan()));
        }

        Rows = new EmbeddingRows(_path, Prefix, table.Length / width, width);
    }

    public EmbeddingRows Rows { get; }

    public void Dispose()
    {
        Rows.Dispose();
        File.Delete(_path);
    }
}
