using Hearsay.Core.Stt.Whisper.TextDecoders;

namespace Hearsay.Core.Tests.Stt.Whisper.TextDecoders;

public class BatchedCrossAttentionTests
{
    private const int State = 64, Heads = 4, Keys = 300, Rows = 37;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Apply_ManyRows_EqualsAttentionRowByRow(int threads)
    {
        var random = new Random(5);
        var query = Values(random, Rows * State);
        var keys = Values(random, (Keys + 10) * State);
        var values = Values(random, (Keys + 10) * State);
        var expected = new float[Rows * State];
        var single = new Attention(State, Heads, Keys, threads);
        for (var r = 0; r < Rows; r++)
        {
            single.Apply(query, r * State, keys, values, 10 * State, Keys, expected, r * State);
        }

        var actual = new float[Rows * State];
        new BatchedCrossAttention(State, Heads, threads).Apply(query, keys, values, 10 * State, Keys, Rows, actual, sink: null, scoresOnly: false);

        for (var i = 0; i < actual.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-5f);
        }
    }

    [Fact]
    public void Apply_WithSink_GivesEachHeadsScaledScores()
    {
        var random = new Random(6);
        var query = Values(random, Rows * State);
        var keys = Values(random, Keys * State);
        var seen = new Dictionary<(int Head, int Row), float[]>();

        new BatchedCrossAttention(State, Heads, 1).Apply(
            query, keys, keys, 0, Keys, Rows, new float[Rows * State], (head, row, scores) => seen[(head, row)] = scores.ToArray(), scoresOnly: true);

        Assert.Equal(Heads * Rows, seen.Count);
        var size = State / Heads;
        var (h, r, t) = (2, 30, 123);
        var dot = Enumerable.Range(0, size).Sum(i => query[(r * State) + (h * size) + i] * keys[(t * State) + (h * size) + i]);
        Assert.Equal(dot / MathF.Sqrt(size), seen[(h, r)][t], 1e-5f);
    }

    private static float[] Values(Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1))];
}
