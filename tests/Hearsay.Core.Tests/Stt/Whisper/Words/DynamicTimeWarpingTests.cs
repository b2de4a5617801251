using Hearsay.Core.Stt.Whisper.Words;

namespace Hearsay.Core.Tests.Stt.Whisper.Words;

public class DynamicTimeWarpingTests
{
    [Fact]
    public void Align_CheapDiagonal_FollowsIt()
    {
        float[] cost =
        [
            0, 9, 9,
            9, 0, 9,
            9, 9, 0,
        ];

        var (rows, columns) = DynamicTimeWarping.Align(cost, 3, 3);

        Assert.Equal([0, 1, 2], rows);
        Assert.Equal([0, 1, 2], columns);
    }

    [Fact]
    public void Align_RowCheapOverSeveralColumns_StaysOnItThenMovesDown()
    {
        // Row 0 is cheap on columns 0-2, row 1 on columns 3-4: the path is monotonic and covers every row.
        float[] cost =
        [
            -1, -1, -1, 5, 5,
            5, 5, 5, -1, -1,
        ];

        var (rows, columns) = DynamicTimeWarping.Align(cost, 2, 5);

        Assert.Equal([0, 0, 0, 1, 1], rows);
        Assert.Equal([0, 1, 2, 3, 4], columns);
    }

    [Fact]
    public void Align_Ties_GoAlongTheColumns()
    {
        // All costs equal: OpenAI's rule takes the step along the frames unless another is strictly cheaper, so the
        // path (as OpenAI's dtw gives it) reaches the last row at the first column.
        var (rows, columns) = DynamicTimeWarping.Align(new float[2 * 3], 2, 3);

        Assert.Equal([0, 1, 1, 1], rows);
        Assert.Equal([0, 0, 1, 2], columns);
    }

    [Fact]
    public void Align_NoColumns_PutsEveryRowBeforeTheFirstColumn()
    {
        // OpenAI's backtrace of a window without audio frames: every token at frame -1.
        var (rows, columns) = DynamicTimeWarping.Align(AlignmentMatrix.Build([], 1, 3, 0, threads: 1), 3, 0);

        Assert.Equal([0, 1, 2], rows);
        Assert.Equal([-1, -1, -1], columns);
    }
}
