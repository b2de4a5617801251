using Hearsay.Core.Stt;
using Hearsay.Server.Endpoints.Realtime;

namespace Hearsay.FunctionalTests.Server.Realtime;

/// <summary>Local agreement on interim decodes: what is settled, where the next decode starts, and that deltas add up.</summary>
public sealed class StableTranscriptTests
{
    [Fact]
    public void Interim_FirstDecode_SettlesNothingAndShowsTheTextAsTail()
    {
        var stable = new StableTranscript();

        var (delta, tail) = stable.Interim(Decode((" Hello there.", 1.5), (" How are", 3.0)), decodedSeconds: 3.0);

        Assert.Equal("", delta);
        Assert.Equal("Hello there. How are", tail);
        Assert.Equal(0, stable.SettledSeconds);
    }

    [Fact]
    public void Interim_TwoDecodesAgreeOnASegmentAwayFromTheEdge_SettleItAndStartAfterIt()
    {
        var stable = new StableTranscript();
        stable.Interim(Decode((" Hello there.", 1.5), (" How are", 3.0)), decodedSeconds: 3.0);

        var (delta, tail) = stable.Interim(Decode((" Hello there.", 1.6), (" How are you?", 4.0)), decodedSeconds: 4.0);

        Assert.Equal("Hello there.", delta);
        Assert.Equal(" How are you?", tail);
        Assert.Equal(1.6, stable.SettledSeconds);
        Assert.Equal("Hello there.", stable.Prompt(null));
        Assert.Equal("Names: Ada. Hello there.", stable.Prompt("Names: Ada."));
    }

    [Theory]
    [InlineData(" Hello there!", 1.6, 4.0)]
    [InlineData(" Hello there.", 2.0, 4.0)]
    [InlineData(" Hello there.", 1.6, 2.2)]
    public void Interim_DifferentTextEndOrTooNearTheEdge_SettlesNothing(string text, double end, double decoded)
    {
        var stable = new StableTranscript();
        stable.Interim(Decode((" Hello there.", 1.5), (" How are", 3.0)), decodedSeconds: 3.0);

        var (delta, _) = stable.Interim(Decode((text, end), (" How are you?", decoded)), decodedSeconds: decoded);

        Assert.Equal("", delta);
        Assert.Equal(0, stable.SettledSeconds);
    }

    [Fact]
    public void Interim_TheLastSegment_IsNeverSettled()
    {
        var stable = new StableTranscript();
        stable.Interim(Decode((" Hello there.", 1.5)), decodedSeconds: 5.0);

        var (delta, _) = stable.Interim(Decode((" Hello there.", 1.5)), decodedSeconds: 6.0);

        Assert.Equal("", delta);
    }

    [Fact]
    public void Final_AfterSettledText_DeltasAddUpToTheTranscript()
    {
        var stable = new StableTranscript();
        stable.Interim(Decode((" Hello there.", 1.5), (" How are", 3.0)), decodedSeconds: 3.0);
        var (first, _) = stable.Interim(Decode((" Hello there.", 1.5), (" How are you?", 4.0)), decodedSeconds: 4.0);
        // Decodes after the settled text start at 1.5 s: their times are from there.
        var (second, _) = stable.Interim(Decode((" How are you?", 2.5), (" Fine", 3.5)), decodedSeconds: 3.5);

        var last = stable.Final(Decode((" Fine, thanks.", 2.0)));

        Assert.Equal("Hello there.", first);
        Assert.Equal("", second);
        Assert.Equal(" Fine, thanks.", last);
        Assert.Equal("Hello there. Fine, thanks.", first + second + last);
    }

    [Fact]
    public void Final_NothingSettled_IsTheWholeTrimmedText()
    {
        var stable = new StableTranscript();

        Assert.Equal("Hello there.", stable.Final(Decode((" Hello there. ", 1.5))));
        Assert.Null(stable.Prompt(null));
    }

    private static Transcription Decode(params (string Text, double End)[] segments)
    {
        var list = segments.Select((segment, i) => new TranscriptionSegment(i, 0, i == 0 ? 0 : segments[i - 1].End, segment.End, segment.Text, [], 0, -0.5, 1.2, 0.1)).ToList();
        return new Transcription(string.Concat(segments.Select(segment => segment.Text)), "en", segments.Length == 0 ? 0 : segments[^1].End, list);
    }
}
