using System.Text.Json;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Cli;

public sealed class TranscribeCommandTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string Jfk => TestPaths.SharedFile("audio", "wav16k", "jfk.wav");

    private static string[] Transcribe(string input, params string[] extra) =>
        ["transcribe", input, "--model", WhisperExpectations.ModelDirectory("tiny-en"), "--no-fallback", .. extra];

    private static ExpectedTranscription Reference =>
        WhisperExpectations.Transcriptions().Single(expected => expected.Id == "tiny-en-jfk-transcribe-fp32");

    [Fact]
    public async Task Transcribe_VerboseJson_IsOpenAiShapedAndMatchesTheReference()
    {
        var result = await HearsayCli.RunAsync(Transcribe(Jfk, "--no-vad", "--format", "verbose_json"));

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal("transcribe", root.GetProperty("task").GetString());
        Assert.Equal("english", root.GetProperty("language").GetString());
        Assert.Equal(11.0, root.GetProperty("duration").GetDouble());
        Assert.Equal(Reference.Text.Trim(), root.GetProperty("text").GetString());
        Assert.Equal(
            Reference.Segments.Select(segment => segment.Tokens),
            root.GetProperty("segments").EnumerateArray().Select(segment => segment.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()).ToArray()));
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    [InlineData("srt")]
    [InlineData("vtt")]
    public async Task Transcribe_EachFormat_WritesItToStandardOutput(string format)
    {
        var result = await HearsayCli.RunAsync(Transcribe(Jfk, "--no-vad", "--format", format));

        Assert.Equal(0, result.ExitCode);
        var output = result.StdoutText;
        var first = Reference.Segments[0];
        var firstWords = first.Text.Trim();
        string Time(double seconds, char marker) =>
            TimeSpan.FromSeconds(seconds).ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture) +
            marker + TimeSpan.FromSeconds(seconds).Milliseconds.ToString("000", System.Globalization.CultureInfo.InvariantCulture);
        switch (format)
        {
            case "text":
                Assert.Equal(Reference.Text.Trim() + "\n", output);
                break;
            case "json":
                Assert.Equal(Reference.Text.Trim(), JsonDocument.Parse(output).RootElement.GetProperty("text").GetString());
                break;
            case "srt":
                Assert.StartsWith($"1\n{Time(first.Start, ',')} --> {Time(first.End, ',')}\n{firstWords}\n\n", output, StringComparison.Ordinal);
                break;
            default:
                Assert.StartsWith($"WEBVTT\n\n{Time(first.Start, '.')} --> {Time(first.End, '.')}\n{firstWords}\n\n", output, StringComparison.Ordinal);
                break;
        }
    }

    [Fact]
    public async Task Transcribe_StandardInput_MatchesTheFile()
    {
        using var process = HearsayCli.Start(Transcribe("-", "--no-vad"));
        var result = await ChildProcess.CompleteAsync(process, await File.ReadAllBytesAsync(Jfk));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Reference.Text.Trim() + "\n", result.StdoutText);
    }

    [Fact]
    public async Task Transcribe_FlacWithoutFfmpeg_MatchesTheWav()
    {
        var flac = await FlacOfJfkAsync();

        // FLAC is decoded in-process: no ffmpeg on PATH.
        var result = await HearsayCli.RunAsync(Transcribe(flac, "--no-vad"), environment: new Dictionary<string, string?> { ["PATH"] = _folder.Path });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Reference.Text.Trim() + "\n", result.StdoutText);
    }

    [Fact]
    public async Task Transcribe_M4aWithFfmpeg_MatchesTheWav()
    {
        var result = await HearsayCli.RunAsync(Transcribe(await M4aOfJfkAsync(), "--no-vad"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Reference.Text.Trim() + "\n", result.StdoutText);
    }

    [Fact]
    public async Task Transcribe_M4aWithoutFfmpeg_IsAnUnsupportedFormatNamingWhatIsAccepted()
    {
        var m4a = await M4aOfJfkAsync();

        var result = await HearsayCli.RunAsync(Transcribe(m4a), environment: new Dictionary<string, string?> { ["PATH"] = _folder.Path });

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StderrLines);
        Assert.Contains("WAV", line, StringComparison.Ordinal);
        Assert.Contains("ffmpeg", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcribe_LongInput_ReportsProgressOnStandardError()
    {
        var input = TestPaths.SharedFile("audio", "wav16k", "long_lj_LJ001-0001_to_0015.wav");

        var result = await HearsayCli.RunAsync(Transcribe(input));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(result.StderrLines, line => line.StartsWith("hearsay: transcribed ", StringComparison.Ordinal) && line.Contains(" of 1:46 ", StringComparison.Ordinal));
        Assert.Equal("hearsay: done", result.StderrLines[^1]);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("empty")]
    [InlineData("truncated")]
    public async Task Transcribe_MalformedAudio_FailsWithOneLine(string kind)
    {
        var path = _folder.File(kind + ".wav");
        var wav = await File.ReadAllBytesAsync(Jfk);
        await File.WriteAllBytesAsync(path, kind switch
        {
            "garbage" => "this is not audio at all, just text pretending"u8.ToArray(),
            "empty" => [],
            _ => wav[..30],
        });

        var result = await HearsayCli.RunAsync(Transcribe(path), environment: new Dictionary<string, string?> { ["PATH"] = _folder.Path });

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("hearsay: ", Assert.Single(result.StderrLines), StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Transcribe_LongerThanTheLimit_FailsWithOneLineNamingIt()
    {
        var result = await HearsayCli.RunAsync(Transcribe(Jfk, "--max-audio-duration", "5s"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            "hearsay: The audio lasts 0:00:11, longer than the 5-second limit: split it into shorter parts, or raise --max-audio-duration.",
            Assert.Single(result.StderrLines));
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Transcribe_StandardInputLongerThanTheLimit_FailsWhenTheLimitIsReached()
    {
        // A pipe cannot be measured first: it is transcribed as it arrives and cut off at the limit.
        using var process = HearsayCli.Start(Transcribe("-", "--max-audio-duration", "40s"));
        var result = await ChildProcess.CompleteAsync(process, await File.ReadAllBytesAsync(TestPaths.SharedFile("audio", "wav16k", "long_lj_LJ001-0001_to_0015.wav")));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            "hearsay: The audio is longer than the 40-second limit: split it into shorter parts, or raise --max-audio-duration.", result.StderrLines[^1]);
        Assert.Empty(result.Stdout);
    }

    [Theory]
    [InlineData("12s")]
    [InlineData("0.5m")]
    [InlineData("0:00:12")]
    [InlineData("12")]
    public async Task Transcribe_WithinTheLimitInAnyNotation_Transcribes(string limit)
    {
        var result = await HearsayCli.RunAsync(Transcribe(Jfk, "--no-vad", "--max-audio-duration", limit));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Reference.Text.Trim() + "\n", result.StdoutText);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("0")]
    [InlineData("-5m")]
    public async Task Transcribe_MaxAudioDurationNotADuration_IsAUsageError(string limit)
    {
        var result = await HearsayCli.RunAsync(Transcribe(Jfk, "--max-audio-duration", limit));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--max-audio-duration {limit} is not a duration", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcribe_NotAudioThroughFfmpeg_FailsWithOnePlainLine()
    {
        var path = _folder.File("notes.txt");
        await File.WriteAllTextAsync(path, "this is not audio at all, just text pretending");

        var result = await HearsayCli.RunAsync(Transcribe(path));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            "hearsay: The audio could not be decoded: it is damaged, or not in a format ffmpeg reads. ffmpeg's own message is in Hearsay's log.",
            Assert.Single(result.StderrLines));
    }

    [Fact]
    public async Task Transcribe_MissingModel_FailsNamingTheFolder()
    {
        var missing = _folder.File("no-such-model");

        var result = await HearsayCli.RunAsync(["transcribe", Jfk, "--model", missing]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(missing, Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcribe_WordsOnOnnxRuntimeDecoder_FailsWithOneLineNamingTheReason()
    {
        // The ONNX Runtime decoder's graph has no cross-attention output to align words with.
        var model = WhisperExpectations.WriteModelOnOnnxRuntimeDecoder(_folder.File("model"));

        var result = await HearsayCli.RunAsync(["transcribe", Jfk, "--model", model, "--words", "--format", "srt"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no cross-attention output", Assert.Single(result.StderrLines), StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Transcribe_TranslateWithEnglishOnlyModel_IsAUsageError()
    {
        var result = await HearsayCli.RunAsync(Transcribe(Jfk, "--task", "translate"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("English-only", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcribe_MultilingualAutoDetect_ReportsTheLanguage()
    {
        var expected = WhisperExpectations.Transcriptions().Single(item => item.Id == "tiny-multi-jfk-transcribe-fp32");

        var result = await HearsayCli.RunAsync(
            ["transcribe", Jfk, "--model", WhisperExpectations.ModelDirectory("tiny-multi"), "--no-fallback", "--no-vad", "--language", "auto", "--format", "verbose_json"]);

        Assert.Equal(0, result.ExitCode);
        var language = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("language").GetString();
        // The random-weight model "hears" Azerbaijani in JFK; OpenAI reports languages by name.
        Assert.Equal("az", expected.DetectedLanguage);
        Assert.Equal("azerbaijani", language);
    }

    [Fact]
    public async Task Transcribe_RawPcmFromStandardInput_MatchesItsWav()
    {
        var wav = await HearsayCli.RunAsync(Transcribe(TestPaths.SharedFile("audio", "wav16k", "ps_goforward.wav"), "--format", "verbose_json"));
        using var process = HearsayCli.Start(Transcribe("-", "--raw-rate", "16000", "--format", "verbose_json"));
        var raw = await ChildProcess.CompleteAsync(process, await File.ReadAllBytesAsync(TestPaths.SharedFile("audio", "orig", "ps_goforward.raw")));

        Assert.Equal(0, wav.ExitCode);
        Assert.Equal(0, raw.ExitCode);
        Assert.Equal(wav.StdoutText, raw.StdoutText);
    }

    [Fact]
    public async Task Transcribe_8kHzOriginal_IsResampledAndTranscribed()
    {
        var result = await HearsayCli.RunAsync(Transcribe(TestPaths.SharedFile("audio", "orig", "osr_us_000_0034_8k.wav"), "--format", "verbose_json"));

        Assert.Equal(0, result.ExitCode);
        var root = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.InRange(root.GetProperty("duration").GetDouble(), 30, 40);
        Assert.NotEqual(0, root.GetProperty("segments").GetArrayLength());
    }

    /// <summary>Lossless M4A (ALAC), which only ffmpeg reads, made by ffmpeg from the real clip.</summary>
    private async Task<string> M4aOfJfkAsync()
    {
        var m4a = _folder.File("jfk.m4a");
        await ExternalTools.RunAsync("ffmpeg", ["-nostdin", "-loglevel", "error", "-i", Jfk, "-c:a", "alac", "-movflags", "+faststart", m4a]);
        return m4a;
    }

    /// <summary>The shared assets hold no FLAC, so sox makes one from the real clip.</summary>
    private async Task<string> FlacOfJfkAsync()
    {
        var flac = _folder.File("jfk.flac");
        await ExternalTools.RunAsync("sox", [Jfk, flac]);
        return flac;
    }
}
