using System.Numerics.Tensors;
using Hearsay.Core.Stt.Whisper.TextDecoders;

namespace Hearsay.Core.Tests.Stt.Whisper.TextDecoders;

public class EmbeddingRowsTests
{
    // Not a multiple of the block, so the last block is partial.
    private const int Vocabulary = (3 * EmbeddingRows.Block) + 7;
    private const int Width = 24;

    [Fact]
    public void Read_GivesTheRowsAsWritten()
    {
        var table = Table();
        using var file = new EmbeddingFile(table, Width);
        var rows = new float[2 * Width];

        file.Rows.Read(Vocabulary - 2, rows);

        Assert.Equal(table[((Vocabulary - 2) * Width)..], rows);
    }

    [Fact]
    public void ForEachBlock_VisitsEveryRowOfTheRangeOnceInOrder()
    {
        var table = Table();
        using var file = new EmbeddingFile(table, Width);
        var seen = new List<float>();

        file.Rows.ForEachBlock(5, Vocabulary, (first, rows) =>
        {
            Assert.Equal(5 + (seen.Count / Width), first);
            seen.AddRange(rows.ToArray());
        });

        Assert.Equal(table[(5 * Width)..], seen);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Project_IsEachRowsDotProduct_BitForBit(int threads)
    {
        var table = Table();
        using var file = new EmbeddingFile(table, Width);
        var state = Enumerable.Range(0, Width).Select(i => MathF.Cos(i * 0.7f)).ToArray();
        var logits = new float[Vocabulary];

        file.Rows.Project(state, logits, threads);

        for (var token = 0; token < Vocabulary; token++)
        {
            Assert.Equal(TensorPrimitives.Dot(table.AsSpan(token * Width, Width), state), logits[token]);
        }
    }

    [Fact]
    public void Read_PastTheEndOfAShortenedFile_SaysSoInPlainWords()
    {
        var table = Table();
        using var file = new EmbeddingFile(table[..(10 * Width)], Width);
        var rows = new float[Width];

        // The file holds 10 rows; a model changed on disk after loading would look like this.
        var error = Assert.Throws<InvalidDataException>(() => file.Rows.Read(10, rows));

        Assert.Contains("ended inside the token embedding", error.Message, StringComparison.Ordinal);
    }

    private static float[] Table() => [.. Enumerable.Range(0, Vocabulary * Width).Select(i => MathF.Sin(i * 0.37f))];
}
