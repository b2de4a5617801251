using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>
/// The float32 token embedding, [vocabulary, width], read from the decoder file when its rows are needed instead of
/// held in memory. A step estimates its logits from <see cref="LogitScreen"/>'s int8 copy and reads float32 rows only
/// for the few logits a decision needs exact, its input token, and the window's normalizer pass; so the 80 MB (tiny.en)
/// to 260 MB (large) table lives in the operating system's file cache, shared and reclaimable, rather than in every
/// process's resident memory; sampling too reads only the rows it draws (<c>TemperatureSampling</c>). Thread-safe: reads
/// are positioned, so concurrent transcriptions share one handle.
/// </summary>
internal sealed class EmbeddingRows : IDisposable
{
    /// <summary>Rows per read: a block (192 KB at width 384) and what is computed from it stay in cache while it is used.</summary>
    public const int Block = 128;

    private readonly SafeFileHandle _file;
    private readonly long _offset;
    private readonly string _path;

    /// <param name="path">The file that holds the table's little-endian float32 bytes.</param>
    /// <param name="offset">Where they start in it.</param>
    /// <param name="vocabulary">The rows.</param>
    /// <param name="width">The floats per row.</param>
    public EmbeddingRows(string path, long offset, int vocabulary, int width)
    {
        _path = path;
        _offset = offset;
        Vocabulary = vocabulary;
        Width = width;
        _file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
    }

    public int Vocabulary { get; }

    public int Width { get; }

    /// <summary>Reads <c>destination.Length / Width</c> rows from row <paramref name="first"/> on.</summary>
    public void Read(int first, Span<float> destination)
    {
        var bytes = MemoryMarshal.AsBytes(destination);
        var read = 0;
        while (read < bytes.Length)
        {
            var count = RandomAccess.Read(_file, bytes[read..], _offset + ((long)first * Width * sizeof(float)) + read);
            if (count == 0)
            {
                throw new InvalidDataException($"{_path} ended inside the token embedding: was it changed while the model was loaded?");
            }

            read += count;
        }
    }

    /// <summary>Calls <paramref name="action"/> with every block of rows in [<paramref name="start"/>, <paramref name="end"/>), in order, from one buffer.</summary>
    public void ForEachBlock(int start, int end, BlockAction action)
    {
        // Rented: decoding calls this at many steps, and a new block each time kept the collector busy.
        var buffer = ArrayPool<float>.Shared.Rent(Block * Width);
        try
        {
            for (var first = start; first < end; first += Block)
            {
                var rows = buffer.AsSpan(0, Math.Min(Block, end - first) * Width);
                Read(first, rows);
                action(first, rows);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Every token's exact logit, <c>logits[t] = row t · state</c>, read from the file, the vocabulary split across threads.
    /// </summary>
    public void Project(ReadOnlySpan<float> state, float[] logits, int threads)
    {
        var input = state.ToArray();
        ThreadRanges.For(Vocabulary, threads, (_, start, end) => ForEachBlock(start, end, Dots));

        void Dots(int first, ReadOnlySpan<float> rows)
        {
            for (var r = 0; r < rows.Length / Width; r++)
            {
                logits[first + r] = TensorPrimitives.Dot(rows.Slice(r * Width, Width), input);
            }
        }
    }

    public void Dispose() => _file.Dispose();

    /// <summary>Work on <paramref name="rows"/>, the rows from <paramref name="first"/> on.</summary>
    public delegate void BlockAction(int first, ReadOnlySpan<float> rows);
}
