using System.Text;
using Hearsay.Core.Tts.Phonemization.Portable;

namespace Hearsay.Core.Tests.Tts.Phonemization.Portable;

public sealed class PhonemizerProtocolTests
{
    [Fact]
    public void Request_CountsUtf8BytesNotCharacters()
    {
        var request = PhonemizerProtocol.Request("fr-fr", "Été\n[[x]]");

        Assert.Equal("fr-fr 11\nÉté\n[[x]]"u8.ToArray(), request);
    }

    [Fact]
    public async Task ReadAnswerAsync_OkAndError_ReadExactlyTheirBytes()
    {
        using var stream = Stream("OK 10\nhəlˈoʊ\nERR 5\nno v!OK 0\n");

        var ok = await PhonemizerProtocol.ReadAnswerAsync(stream, CancellationToken.None);
        var error = await PhonemizerProtocol.ReadAnswerAsync(stream, CancellationToken.None);
        var empty = await PhonemizerProtocol.ReadAnswerAsync(stream, CancellationToken.None);

        Assert.Equal(new PhonemizerAnswer(true, "həlˈoʊ\n"), ok);
        Assert.Equal(new PhonemizerAnswer(false, "no v!"), error);
        Assert.Equal(new PhonemizerAnswer(true, string.Empty), empty);
    }

    [Theory]
    [InlineData("YES 3\nabc")]
    [InlineData("OK -3\nabc")]
    [InlineData("OK 3x\nabc")]
    [InlineData("OK\n")]
    [InlineData("OK 99999999999\n")]
    [InlineData("OK 123456789012345678901234567890123456789012345678901234567890123456789\n")]
    public async Task ReadAnswerAsync_MalformedHeader_IsInvalidData(string answer)
    {
        using var stream = Stream(answer);

        await Assert.ThrowsAsync<InvalidDataException>(() => PhonemizerProtocol.ReadAnswerAsync(stream, CancellationToken.None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("OK 1")]
    [InlineData("OK 10\nshort")]
    public async Task ReadAnswerAsync_WorkerEnds_IsEndOfStream(string answer)
    {
        using var stream = Stream(answer);

        await Assert.ThrowsAsync<EndOfStreamException>(() => PhonemizerProtocol.ReadAnswerAsync(stream, CancellationToken.None));
    }

    [Fact]
    public async Task ReadReadyAsync_ReadyLine_GivesTheVersion()
    {
        using var stream = Stream("READY 1.51\nOK 0\n");

        Assert.Equal("1.51", await PhonemizerProtocol.ReadReadyAsync(stream, CancellationToken.None));
    }

    [Fact]
    public async Task ReadReadyAsync_SomethingElse_IsInvalidData()
    {
        using var stream = Stream("Error: no data\n");

        await Assert.ThrowsAsync<InvalidDataException>(() => PhonemizerProtocol.ReadReadyAsync(stream, CancellationToken.None));
    }

    [Theory]
    [InlineData("en-us", true)]
    [InlineData("cmn-latn-pinyin", true)]
    [InlineData("en-us+f3", true)]
    [InlineData("", false)]
    [InlineData("en us", false)]
    [InlineData("en\n", false)]
    [InlineData("élan", false)]
    [InlineData("a234567890123456789012345678901234567890", true)]
    [InlineData("a2345678901234567890123456789012345678901", false)]
    public void IsValidVoice_OnlyWhatTheHeaderCarries(string voice, bool valid) =>
        Assert.Equal(valid, PhonemizerProtocol.IsValidVoice(voice));

    private static MemoryStream Stream(string text) => new(Encoding.UTF8.GetBytes(text));
}
