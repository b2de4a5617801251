using Hearsay.Core.Stt;
using Hearsay.Core.Stt.Whisper.DecodingRules;
using Hearsay.Core.Stt.Whisper.Model;

namespace Hearsay.Core.Tests.Stt.Whisper.DecodingRules;

public class DecodingRulesTests
{
    // tiny.en's layout: eot 50256 … no_timestamps 50362, timestamps from 50363.
    private static readonly WhisperModelInfo Info = new()
    {
        ModelType = "whisper-test.en",
        MelCount = 80,
        AudioContext = 1500,
        AudioHeads = 6,
        VocabularySize = 51864,
        TextContext = 448,
        TextState = 8,
        TextLayers = 1,
        TextHeads = 1,
        IsMultilingual = false,
        SotSequence = [50257],
        LanguageCodes = [],
        LanguageTokens = [],
        Sot = 50257,
        Eot = 50256,
        BlankId = 220,
        NoSpeech = 50361,
        NonSpeechTokens = [1, 2],
        Transcribe = 50358,
        Translate = 50357,
        SotPrev = 50360,
        SotLm = 50359,
        NoTimestamps = 50362,
    };

    private const int T0 = 50363;

    [Fact]
    public void TimestampRules_FirstToken_MustBeAnEarlyTimestamp()
    {
        var logits = Uniform();

        new TimestampRulesFilter(Info, maxInitialTimestampIndex: 50).Apply(logits, [], new AlreadyExactLogits(logits.Length));

        Assert.All(logits[..T0].ToArray(), value => Assert.Equal(float.NegativeInfinity, value));
        Assert.Equal(0f, logits[T0 + 50]);
        Assert.Equal(float.NegativeInfinity, logits[T0 + 51]);
    }

    [Fact]
    public void TimestampRules_AfterAPair_TextMustFollow()
    {
        var logits = Uniform();

        new TimestampRulesFilter(Info, 50).Apply(logits, [T0, 100, T0 + 10, T0 + 10], new AlreadyExactLogits(logits.Length));

        Assert.All(logits[T0..].ToArray(), value => Assert.Equal(float.NegativeInfinity, value));
        Assert.Equal(0f, logits[100]);
    }

    [Fact]
    public void TimestampRules_AfterLoneTimestamp_OnlyLaterTimestampsOrEndOfText()
    {
        var logits = Uniform();
        logits[Info.Eot] = 10f; // likelier than all timestamps together, so the mass rule leaves it

        new TimestampRulesFilter(Info, 50).Apply(logits, [T0, 100, T0 + 10], new AlreadyExactLogits(logits.Length));

        Assert.All(logits[..Info.Eot].ToArray(), value => Assert.Equal(float.NegativeInfinity, value));
        Assert.Equal(10f, logits[Info.Eot]);
        Assert.Equal(float.NegativeInfinity, logits[T0 + 9]);
        Assert.Equal(0f, logits[T0 + 10]); // closing the segment at the same time is allowed
    }

    [Fact]
    public void TimestampRules_AfterText_NoEarlierTimestamp()
    {
        var logits = Uniform();

        new TimestampRulesFilter(Info, 50).Apply(logits, [T0 + 5, 100], new AlreadyExactLogits(logits.Length));

        Assert.Equal(float.NegativeInfinity, logits[T0 + 5]);
        Assert.Equal(0f, logits[T0 + 6]);
    }

    [Fact]
    public void TimestampRules_TimestampMassBeatsBestText_ForcesTimestamp()
    {
        var logits = Uniform(-5f);
        logits[100] = 0f;
        logits.AsSpan(T0).Fill(-1f); // 1501 timestamps at e^-1 outweigh one text token at e^0

        new TimestampRulesFilter(Info, 50).Apply(logits, [T0, 100, 101], new AlreadyExactLogits(logits.Length));

        Assert.Equal(float.NegativeInfinity, logits[100]);
    }

    [Fact]
    public void SuppressBlank_OnlyAtTheStart()
    {
        var logits = Uniform();
        var filter = new SuppressBlankFilter(Info.BlankId, Info.Eot);

        filter.Apply(logits, [100], new AlreadyExactLogits(logits.Length));
        Assert.Equal(0f, logits[220]);

        filter.Apply(logits, [], new AlreadyExactLogits(logits.Length));
        Assert.Equal(float.NegativeInfinity, logits[220]);
        Assert.Equal(float.NegativeInfinity, logits[Info.Eot]);
    }

    [Fact]
    public void SuppressTokens_MasksNonSpeechAndSpecialTokens()
    {
        var logits = Uniform();

        new SuppressTokensFilter(Info).Apply(logits, [], new AlreadyExactLogits(logits.Length));

        foreach (var token in new[] { 1, 2, Info.Transcribe, Info.Translate, Info.Sot, Info.SotPrev, Info.SotLm, Info.NoSpeech })
        {
            Assert.Equal(float.NegativeInfinity, logits[token]);
        }

        Assert.Equal(0f, logits[3]);
    }

    [Fact]
    public void Split_TimestampPairs_MakeSegmentsAndSeekToLastTimestamp()
    {
        int[] tokens = [T0, 10, 11, T0 + 150, T0 + 150, 12, T0 + 300, T0 + 300, 13];

        var (segments, advance) = SegmentSplitter.Split(Result(tokens), Info, 3000);

        Assert.Equal(2, segments.Count);
        Assert.Equal((0.0, 3.0), (segments[0].Start, segments[0].End));
        Assert.Equal([T0, 10, 11, T0 + 150], segments[0].Tokens);
        Assert.Equal((3.0, 6.0), (segments[1].Start, segments[1].End));
        Assert.Equal(600, advance); // the text after the last pair is decoded again in the next window
    }

    [Fact]
    public void Split_SingleTimestampEnding_KeepsLastSegmentAndSkipsTheWindow()
    {
        int[] tokens = [T0, 10, T0 + 100, T0 + 100, 11, T0 + 200];

        var (segments, advance) = SegmentSplitter.Split(Result(tokens), Info, 2500);

        Assert.Equal(2, segments.Count);
        Assert.Equal((2.0, 4.0), (segments[1].Start, segments[1].End));
        Assert.Equal(2500, advance);
    }

    [Fact]
    public void Split_NoPair_OneSegmentEndingAtLastTimestamp()
    {
        var (segments, advance) = SegmentSplitter.Split(Result([T0, 10, 11, T0 + 250]), Info, 3000);

        Assert.Equal((0.0, 5.0), (Assert.Single(segments).Start, segments[0].End));
        Assert.Equal(3000, advance);
    }

    [Fact]
    public void Split_NoTimestampAtAll_SpansTheWindow()
    {
        var (segments, _) = SegmentSplitter.Split(Result([10, 11]), Info, 1234);

        Assert.Equal(12.34, Assert.Single(segments).End, 1e-9);
    }

    [Theory]
    [InlineData(2.5, -0.5, 0.1, true)]   // repetitive
    [InlineData(1.5, -1.5, 0.1, true)]   // unlikely
    [InlineData(1.5, -1.5, 0.7, false)]  // unlikely, but silence: retrying cannot help
    [InlineData(1.5, -0.5, 0.9, false)]  // fine
    public void NeedsFallback_FollowsOpenAiThresholds(double compression, double logprob, double noSpeech, bool expected) =>
        Assert.Equal(expected, FallbackPolicy.NeedsFallback(new WindowDecodeResult([], "", logprob, noSpeech, 0, compression), new TranscribeOptions()));

    [Theory]
    [InlineData(-1.5, 0.7, true)]
    [InlineData(-0.5, 0.7, false)] // confident text despite the no-speech probability
    [InlineData(-1.5, 0.5, false)]
    public void ShouldSkip_SilenceNeedsBothSignals(double logprob, double noSpeech, bool expected) =>
        Assert.Equal(expected, FallbackPolicy.ShouldSkip(new WindowDecodeResult([], "", logprob, noSpeech, 0, 1), new TranscribeOptions()));

    [Fact]
    public void Temperatures_FromStartUpToOne()
    {
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1.0], FallbackPolicy.Temperatures(new TranscribeOptions()).Select(t => Math.Round(t, 6)));
        Assert.Equal([0.5, 0.7, 0.9], FallbackPolicy.Temperatures(new TranscribeOptions { Temperature = 0.5 }).Select(t => Math.Round(t, 6)));
        Assert.Equal([0.3], FallbackPolicy.Temperatures(new TranscribeOptions { Temperature = 0.3, TemperatureFallback = false }));
    }

    [Fact]
    public void CompressionRatio_RepetitiveText_IsHigh()
    {
        Assert.True(CompressionRatio.Of(string.Concat(Enumerable.Repeat("the same words ", 40))) > 2.4);
        Assert.True(CompressionRatio.Of("And so my fellow Americans, ask not what your country can do for you.") < 2.4);
    }

    private static WindowDecodeResult Result(int[] tokens) => new(tokens, "", -0.3, 0.01, 0, 1.2);

    private static float[] Uniform(float value = 0f)
    {
        var logits = new float[Info.VocabularySize];
        Array.Fill(logits, value);
        return logits;
    }
}
