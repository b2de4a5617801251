using System.Text.Json;
using Hearsay.Core.Stt;
using Hearsay.Core.Stt.Formats;
using Hearsay.Server.Endpoints;

namespace Hearsay.FunctionalTests.Server;

/// <summary>
/// <see cref="TranscriptResponses"/>, the one owner of the transcription bodies the server sends and
/// <c>hearsay transcribe</c> prints: the JSON formats are Contracts records, the text ones Core's rendering.
/// </summary>
public sealed class TranscriptResponsesTests
{
    /// <summary>
    /// German speech whose text needs escaping in JSON or tempts an encoder to escape more, with numbers at their longest.
    /// </summary>
    private static readonly Transcription Sample = new(
        " And so my fellow Americans. Ask not \"why\" — <ask> & 'what' +1 ü\u2028.",
        "de",
        11.0,
        [
            new TranscriptionSegment(0, 0, 0.0, 7.6, " And so my fellow Americans.", [50364, 400, 50744], 0.0, -0.25, 1.1, 0.01),
            new TranscriptionSegment(
                1, 0, 7.6, 3725.5, " Ask not --> \"why\" — <ask> & 'what' +1 ü\u2028.", [50744, 12320, 50914], 0.2, -0.30000000000000004, 1.3333333333333333, 1e-7),
            new TranscriptionSegment(2, 3000, 3725.5, 3725.5, string.Empty, [], 1.0, -0.1, 1.0, 0.9),
        ]);

    [Fact]
    public void Format_Json_HasOnlyTheText()
    {
        using var json = JsonDocument.Parse(TranscriptResponses.Format(Sample, TranscriptFormat.Json, TranscriptionTask.Transcribe));

        Assert.Equal(["text"], json.RootElement.EnumerateObject().Select(property => property.Name));
        Assert.Equal(Sample.Text.Trim(), json.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public void Format_Text_IsTheTextAndANewline() =>
        Assert.Equal(Sample.Text.Trim() + "\n", TranscriptResponses.Format(Sample, TranscriptFormat.Text, TranscriptionTask.Transcribe));

    [Theory]
    [InlineData(TranscriptionTask.Transcribe, "german")]
    [InlineData(TranscriptionTask.Translate, "english")]
    public void Format_VerboseJsonOfGermanSpeech_ReportsTheInputLanguageOrForTranslationsEnglish(TranscriptionTask task, string expected)
    {
        using var json = JsonDocument.Parse(TranscriptResponses.Format(Sample, TranscriptFormat.VerboseJson, task));

        Assert.Equal(expected, json.RootElement.GetProperty("language").GetString());
    }

    [Fact]
    public void Format_VerboseJson_HasOpenAiFieldsInOrder()
    {
        using var json = JsonDocument.Parse(TranscriptResponses.Format(Sample, TranscriptFormat.VerboseJson, TranscriptionTask.Translate));
        var root = json.RootElement;

        Assert.Equal(["task", "language", "duration", "text", "segments"], root.EnumerateObject().Select(property => property.Name));
        Assert.Equal("translate", root.GetProperty("task").GetString());
        Assert.Equal("english", root.GetProperty("language").GetString());
        Assert.Equal(11.0, root.GetProperty("duration").GetDouble());
        var segment = root.GetProperty("segments")[1];
        Assert.Equal(
            ["id", "seek", "start", "end", "text", "tokens", "temperature", "avg_logprob", "compression_ratio", "no_speech_prob"],
            segment.EnumerateObject().Select(property => property.Name));
        Assert.Equal(Sample.Segments[1].Text, segment.GetProperty("text").GetString());
        Assert.Equal([50744, 12320, 50914], segment.GetProperty("tokens").EnumerateArray().Select(token => token.GetInt32()));
        Assert.Equal(0.2, segment.GetProperty("temperature").GetDouble());
    }

    /// <summary>
    /// The bytes Core's hand-written JSON writer produced before the Contracts records took over: escaping (only what
    /// JSON requires, plus U+2028), number formatting and field order must not change on the wire.
    /// </summary>
    [Theory]
    [InlineData(TranscriptFormat.Json, TranscriptionTask.Transcribe, """
        {"text":"And so my fellow Americans. Ask not \"why\" — <ask> & 'what' +1 ü\u2028."}
        """)]
    [InlineData(TranscriptFormat.VerboseJson, TranscriptionTask.Transcribe, """
        {"task":"transcribe","language":"german","duration":11,"text":"And so my fellow Americans. Ask not \"why\" — <ask> & 'what' +1 ü\u2028.","segments":[{"id":0,"seek":0,"start":0,"end":7.6,"text":" And so my fellow Americans.","tokens":[50364,400,50744],"temperature":0,"avg_logprob":-0.25,"compression_ratio":1.1,"no_speech_prob":0.01},{"id":1,"seek":0,"start":7.6,"end":3725.5,"text":" Ask not --> \"why\" — <ask> & 'what' +1 ü\u2028.","tokens":[50744,12320,50914],"temperature":0.2,"avg_logprob":-0.30000000000000004,"compression_ratio":1.3333333333333333,"no_speech_prob":1E-07},{"id":2,"seek":3000,"start":3725.5,"end":3725.5,"text":"","tokens":[],"temperature":1,"avg_logprob":-0.1,"compression_ratio":1,"no_speech_prob":0.9}]}
        """)]
    [InlineData(TranscriptFormat.VerboseJson, TranscriptionTask.Translate, """
        {"task":"translate","language":"english","duration":11,"text":"And so my fellow Americans. Ask not \"why\" — <ask> & 'what' +1 ü\u2028.","segments":[{"id":0,"seek":0,"start":0,"end":7.6,"text":" And so my fellow Americans.","tokens":[50364,400,50744],"temperature":0,"avg_logprob":-0.25,"compression_ratio":1.1,"no_speech_prob":0.01},{"id":1,"seek":0,"start":7.6,"end":3725.5,"text":" Ask not --> \"why\" — <ask> & 'what' +1 ü\u2028.","tokens":[50744,12320,50914],"temperature":0.2,"avg_logprob":-0.30000000000000004,"compression_ratio":1.3333333333333333,"no_speech_prob":1E-07},{"id":2,"seek":3000,"start":3725.5,"end":3725.5,"text":"","tokens":[],"temperature":1,"avg_logprob":-0.1,"compression_ratio":1,"no_speech_prob":0.9}]}
        """)]
    public void Format_JsonFormats_AreByteForByteWhatCoreWrote(TranscriptFormat format, TranscriptionTask task, string expected) =>
        Assert.Equal(expected, TranscriptResponses.Format(Sample, format, task));
}
