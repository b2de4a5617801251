using System.Collections.Frozen;
using System.Text;
using Hearsay.Core.Tts.Piper;

namespace Hearsay.Core.Tests.Tts.Piper;

public sealed class PiperPhonemeIdsTests
{
    private static readonly FrozenDictionary<int, long[]> Map = new Dictionary<int, long[]>
    {
        ['_'] = [0],
        ['^'] = [1],
        ['$'] = [2],
        [' '] = [3],
        ['a'] = [14],
        ['b'] = [15],
        ['.'] = [10],
        ['\u0327'] = [140],
        ['x'] = [7, 8],
    }.ToFrozenDictionary();

    [Fact]
    public void Map_Phonemes_AddsBosPadAfterEachAndEos()
    {
        Assert.Equal([1, 0, 14, 0, 3, 0, 15, 0, 10, 0, 2], PiperPhonemeIds.Map("a b.", Map));
    }

    [Fact]
    public void Map_Empty_IsBosPadEos()
    {
        Assert.Equal([1, 0, 2], PiperPhonemeIds.Map("", Map));
    }

    [Fact]
    public void Map_PhonemeWithSeveralIds_KeepsThemTogetherBeforeThePad()
    {
        Assert.Equal([1, 0, 7, 8, 0, 2], PiperPhonemeIds.Map("x", Map));
    }

    [Fact]
    public void Map_CombiningMark_IsItsOwnPhoneme()
    {
        Assert.Equal([1, 0, 14, 0, 140, 0, 2], PiperPhonemeIds.Map("a\u0327", Map));
    }

    [Fact]
    public void Map_UnknownPhonemes_AreSkippedAndReported()
    {
        var missing = new List<Rune>();

        var ids = PiperPhonemeIds.Map("aʒ😀b", Map, missing.Add);

        Assert.Equal([1, 0, 14, 0, 15, 0, 2], ids);
        Assert.Equal([new Rune('ʒ'), new Rune(0x1F600)], missing);
    }
}
