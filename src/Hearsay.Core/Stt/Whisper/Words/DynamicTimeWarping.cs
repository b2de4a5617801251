namespace Hearsay.Core.Stt.Whisper.Words;

/// <summary>
/// The monotonic path through a cost matrix with the least total cost (OpenAI's <c>dtw_cpu</c> and <c>backtrace</c>):
/// each step moves down a row, along a frame, or both. The running costs are float32, as OpenAI's; ties go along the
/// frames, then down the rows.
/// </summary>
internal static class DynamicTimeWarping
{
    /// <summary>The path through <paramref name="cost"/> [rows, columns], from (0, 0) to the last cell.</summary>
    /// <returns>The row and the column of each point of the path, in order.</returns>
    public static (int[] Rows, int[] Columns) Align(ReadOnlySpan<float> cost, int rows, int columns)
    {
        var width = columns + 1;
        var total = new float[(rows + 1) * width];
        var trace = new byte[(rows + 1) * width];
        total.AsSpan().Fill(float.PositiveInfinity);
        total[0] = 0;
        // Row by row, along memory (OpenAI goes column by column); a cell needs only the one before it in its row and
        // the two above it, so the costs are the same.
        for (var i = 1; i <= rows; i++)
        {
            for (var j = 1; j <= columns; j++)
            {
                var diagonal = total[((i - 1) * width) + j - 1];
                var up = total[((i - 1) * width) + j];
                var left = total[(i * width) + j - 1];
                float best;
                byte step;
                if (diagonal < up && diagonal < left)
                {
                    (best, step) = (diagonal, 0);
                }
                else if (up < diagonal && up < left)
                {
                    (best, step) = (up, 1);
                }
                else
                {
                    (best, step) = (left, 2);
                }

                // OpenAI adds the float64 cost to the float32 running cost and stores the sum as float32.
                total[(i * width) + j] = (float)((double)cost[((i - 1) * columns) + j - 1] + best);
                trace[(i * width) + j] = step;
            }
        }

        var path = new List<(int Row, int Column)>();
        var (r, c) = (rows, columns);
        while (r > 0 || c > 0)
        {
            path.Add((r - 1, c - 1));
            // The first row can only have come from the left, the first column only from above.
            var step = r == 0 ? 2 : c == 0 ? 1 : trace[(r * width) + c];
            switch (step)
            {
                case 0:
                    r--;
                    c--;
                    break;
                case 1:
                    r--;
                    break;
                default:
                    c--;
                    break;
            }
        }

        path.Reverse();
        return ([.. path.Select(point => point.Row)], [.. path.Select(point => point.Column)]);
    }
}
