using Hearsay.Core.Stt.Whisper.TextDecoders;

namespace Hearsay.Core.Tests.Stt.Whisper.TextDecoders;

public class ForkJoinTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void Run_EveryPartRunsOnceBeforeItReturns(int parts)
    {
        var runs = new int[parts];

        ForkJoin.Run(parts, part => Interlocked.Increment(ref runs[part]));

        Assert.All(runs, count => Assert.Equal(1, count));
    }

    [Fact]
    public void Run_WhenAPartThrows_TheCallerGetsItAfterTheOtherPartsRan()
    {
        var others = 0;

        var thrown = Assert.Throws<InvalidOperationException>(() => ForkJoin.Run(4, part =>
        {
            if (part == 2)
            {
                throw new InvalidOperationException("part 2");
            }

            Interlocked.Increment(ref others);
        }));

        Assert.Equal("part 2", thrown.Message);
        Assert.Equal(3, others);
    }

    [Fact]
    public async Task Run_NestedSplitsFromSeveralThreadsAtOnce_AllComplete()
    {
        // Decoders of concurrent transcriptions split at the same time, and a batch's rows split again inside a split.
        const int callers = 4;
        const int rounds = 300;
        var sums = new long[callers];

        var all = Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(() =>
        {
            for (var round = 0; round < rounds; round++)
            {
                ForkJoin.Run(3, outer => ForkJoin.Run(2, inner => Interlocked.Add(ref sums[caller], (outer * 2) + inner + 1)));
            }
        })));

        await all.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(sums, sum => Assert.Equal(rounds * 21L, sum));
    }
}
