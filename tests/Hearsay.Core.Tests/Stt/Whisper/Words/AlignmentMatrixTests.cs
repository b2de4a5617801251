using Hearsay.Core.Stt.Whisper.Words;

namespace Hearsay.Core.Tests.Stt.Whisper.Words;

public class AlignmentMatrixTests
{
    [Fact]
    public void MedianFilter_ReflectsAtTheEnds()
    {
        float[] row = [5, 1, 4, 2, 8, 7, 3, 6];
        var output = new float[row.Length];

        AlignmentMatrix.MedianFilter(row, output, new float[AlignmentMatrix.PaddedLength(row.Length)]);

        // Element 0 sees 2 4 1 [5] 1 4 2 (reflected without repeating the edge): median 2. The values are PyTorch's
        // for OpenAI's median_filter on this row.
        Assert.Equal([2, 4, 4, 4, 4, 4, 6, 7], output);
    }

    [Theory]
    [InlineData(1500)]
    [InlineData(13)]
    [InlineData(4)]
    public void MedianFilter_AnyLength_IsTheMedianOfEachReflectedWindow(int length)
    {
        var random = new Random(8);
        var row = Enumerable.Range(0, length).Select(_ => (float)random.Next(-50, 50) / 7).ToArray();
        var output = new float[length];

        AlignmentMatrix.MedianFilter(row, output, new float[AlignmentMatrix.PaddedLength(row.Length)]);

        for (var i = 0; i < length; i++)
        {
            var window = Enumerable.Range(i - 3, AlignmentMatrix.MedianWidth)
                .Select(j => row[j < 0 ? -j : j >= length ? (2 * (length - 1)) - j : j])
                .Order()
                .ToArray();
            Assert.Equal(window[3], output[i]);
        }
    }

    [Fact]
    public void MedianFilter_RowNoLongerThanHalfTheWidth_IsCopied()
    {
        float[] row = [3, 1, 2];
        var output = new float[3];

        AlignmentMatrix.MedianFilter(row, output, new float[AlignmentMatrix.PaddedLength(row.Length)]);

        Assert.Equal(row, output);
    }

    [Fact]
    public void Build_OneHeadAttendingAlongTheDiagonal_PeaksOnIt()
    {
        const int tokens = 3, frames = 12;
        var scores = new float[tokens * frames];
        for (var r = 0; r < tokens; r++)
        {
            for (var t = r * 4; t < (r + 1) * 4; t++)
            {
                scores[(r * frames) + t] = 5;
            }
        }

        var matrix = AlignmentMatrix.Build(scores, 1, tokens, frames, threads: 1);

        for (var r = 0; r < tokens; r++)
        {
            var row = matrix.AsSpan(r * frames, frames).ToArray();
            var best = Array.IndexOf(row, row.Max());
            Assert.InRange(best, r * 4, (r * 4) + 3);
            // Normalized over the tokens: each frame's values have mean 0.
            Assert.Equal(0, Enumerable.Range(0, tokens).Sum(k => matrix[(k * frames) + (r * 4) + 1]), 1e-5);
        }
    }

    [Fact]
    public void Build_HeadsSharedOutToThreads_GivesTheSameValuesAsOneThread()
    {
        const int heads = 5, tokens = 9, frames = 40;
        var random = new Random(3);
        var scores = Enumerable.Range(0, heads * tokens * frames).Select(_ => (float)random.NextDouble() * 4).ToArray();

        var alone = AlignmentMatrix.Build([.. scores], heads, tokens, frames, threads: 1);
        var shared = AlignmentMatrix.Build([.. scores], heads, tokens, frames, threads: 3);

        Assert.Equal(alone, shared);
    }
}
