using Hearsay.Core.Tts.Phonemization;

namespace Hearsay.Core.Tests.Tts.Phonemization;

public sealed class ClauseBatchesTests
{
    private static string Sentences(int count) =>
        string.Concat(Enumerable.Range(0, count).Select(i => $"Sentence number {i}, with a clause. "));

    [Fact]
    public void Plan_ShortTextCallsCostly_IsOneRun()
    {
        var clauses = ClauseSplitter.Split(Sentences(5));

        Assert.Equal([0..clauses.Count], ClauseBatches.Plan(clauses, ClauseBatches.NativeSingleCallCharacters));
    }

    [Fact]
    public void Plan_ShortTextCallsCheap_FirstSentenceAloneThenTheRest()
    {
        var clauses = ClauseSplitter.Split(Sentences(5));

        Assert.Equal([0..2, 2..clauses.Count], ClauseBatches.Plan(clauses, singleCallCharacters: 0));
    }

    [Fact]
    public void Plan_OneSentenceCallsCheap_IsOneRun()
    {
        var clauses = ClauseSplitter.Split(Sentences(1));

        Assert.Equal([0..clauses.Count], ClauseBatches.Plan(clauses, singleCallCharacters: 0));
    }

    [Fact]
    public void Plan_NoClauses_IsNoRun()
    {
        Assert.Empty(ClauseBatches.Plan([], ClauseBatches.NativeSingleCallCharacters));
    }

    [Fact]
    public void Plan_LongText_FirstSentenceAloneThenDoublingRunsOfWholeSentences()
    {
        var clauses = ClauseSplitter.Split(Sentences(400));

        var batches = ClauseBatches.Plan(clauses, ClauseBatches.NativeSingleCallCharacters);

        Assert.Equal(0..2, batches[0]);
        Assert.Equal(clauses.Count, batches[^1].End.Value);
        for (var i = 0; i < batches.Count; i++)
        {
            Assert.True(clauses[batches[i].End.Value - 1].EndsSentence);
            if (i > 0)
            {
                Assert.Equal(batches[i - 1].End, batches[i].Start);
            }
        }

        var sizes = batches.Select(b => clauses.Take(b).Sum(c => c.Text.Length)).ToList();
        Assert.InRange(sizes[1], ClauseBatches.SecondBatchCharacters, ClauseBatches.SecondBatchCharacters + 100);
        Assert.InRange(sizes[2], 2 * ClauseBatches.SecondBatchCharacters, (2 * ClauseBatches.SecondBatchCharacters) + 100);
        Assert.All(sizes, s => Assert.True(s <= ClauseBatches.MaxBatchCharacters + 100));
    }

    [Fact]
    public void Plan_LongTextWithoutSentenceEnds_IsOneRun()
    {
        var clauses = ClauseSplitter.Split(string.Join(", ", Enumerable.Repeat("clause without an end", 200)));

        Assert.Equal([0..clauses.Count], ClauseBatches.Plan(clauses, ClauseBatches.NativeSingleCallCharacters));
    }
}
