using System.Buffers.Binary;
using System.Diagnostics;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Cli;

public sealed class SpeakCommandTests : IDisposable
{
    private const string Text = "Hello world. This is a tiny voice, speaking!";
    private static readonly string[] Deterministic = ["--noise-scale", "0", "--noise-w", "0"];
    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private static int ExpectedSampleCount() =>
        PiperExpectations.Synthesis().Where(e => e.Voice == "tiny-single" && e.LengthScale == 1).Sum(e => e.Samples.Length);

    private static string[] Speak(string text, string output, params string[] extra) =>
        ["speak", text, "--voice", PiperExpectations.SingleSpeakerVoice, "-o", output, .. Deterministic, .. extra];

    [Fact]
    public async Task Speak_ToFile_WritesAWavThatSoxReads()
    {
        var output = _folder.File("hello-wörld.wav");

        var result = await HearsayCli.RunAsync(Speak(Text, output));

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.StartsWith($"Wrote {output}: 2 sentence(s), 1.21 s of audio at 22050 Hz", Assert.Single(result.StderrLines), StringComparison.Ordinal);
        Assert.Equal(22050, await ExternalTools.SoxiAsync(output, "-r"));
        Assert.Equal(1, await ExternalTools.SoxiAsync(output, "-c"));
        Assert.Equal(16, await ExternalTools.SoxiAsync(output, "-b"));
        Assert.Equal(ExpectedSampleCount(), await ExternalTools.SoxiAsync(output, "-s"));
        Assert.Equal([output], Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public async Task Speak_ToStandardOutput_StreamsAWavThatSoxDecodesFromAPipe()
    {
        var result = await HearsayCli.RunAsync(Speak(Text, "-"));

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr);
        var wav = result.Stdout;
        Assert.True(wav.AsSpan(0, 4).SequenceEqual("RIFF"u8));
        Assert.Equal(uint.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(wav.AsSpan(40)));
        Assert.Equal(44 + (2 * ExpectedSampleCount()), wav.Length);

        var decoded = await ExternalTools.RunAsync("sox", ["-t", "wav", "-", "-t", "raw", "-e", "signed", "-b", "16", "-"], wav);

        Assert.Equal(wav.AsSpan(44).ToArray(), decoded);
    }

    [Fact]
    public async Task Speak_TextFromStandardInput_MatchesTextFromTheArgument()
    {
        var fromArgument = await HearsayCli.RunAsync(Speak(Text, "-", "--format", "pcm"));
        var fromStdin = await HearsayCli.RunAsync(Speak("-", "-", "--format", "pcm"), stdin: Text);

        Assert.Equal(0, fromStdin.ExitCode);
        Assert.Equal(fromArgument.Stdout, fromStdin.Stdout);
        Assert.Equal(2 * ExpectedSampleCount(), fromStdin.Stdout.Length);
    }

    [Fact]
    public async Task Speak_RawExtension_WritesHeaderlessPcm()
    {
        var output = _folder.File("hello.raw");

        var result = await HearsayCli.RunAsync(Speak(Text, output));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2 * ExpectedSampleCount(), new FileInfo(output).Length);
    }

    [Fact]
    public async Task Speak_MultiSpeakerOptions_ReachTheVoice()
    {
        string[] common = ["speak", "Hello world.", "--voice", PiperExpectations.MultiSpeakerVoice, "-o", "-", "--format", "pcm", .. Deterministic];

        var cori = await HearsayCli.RunAsync([.. common, "--speaker", "cori"]);
        var two = await HearsayCli.RunAsync([.. common, "--speaker", "2"]);
        var slow = await HearsayCli.RunAsync([.. common, "--speaker", "cori", "--speed", "0.5", "--sentence-silence", "1"]);

        Assert.Equal(two.Stdout, cori.Stdout);
        var expected = PiperExpectations.Synthesis().Single(e => e.Voice == "tiny-multi" && e.SpeakerId == 2);
        Assert.Equal(2 * expected.Samples.Length, cori.Stdout.Length);
        Assert.True(slow.Stdout.Length > 1.8 * cori.Stdout.Length);
    }

    [Fact]
    public async Task Speak_Verbose_LogsSentencesToStandardError()
    {
        var result = await HearsayCli.RunAsync(Speak(Text, "-", "--verbose"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(result.StderrLines, l => l.Contains("Sentence 1:", StringComparison.Ordinal));
        Assert.True(result.Stdout.AsSpan(0, 4).SequenceEqual("RIFF"u8));
    }

    public static TheoryData<string[], int, string> Failures => new()
    {
        { ["speak", "", "--voice", "VOICE", "-o", "OUT"], 2, "hearsay: The text is empty: there is nothing to speak." },
        { ["speak", "Hi.", "--voice", "VOICE", "-o", "OUT", "--speaker", "zed"], 2, "hearsay: Unknown speaker 'zed': this voice has a single speaker." },
        { ["speak", "Hi.", "--voice", "VOICE", "-o", "OUT", "--speed", "9"], 2, "hearsay: Speed 9 is out of range: use 0.25 to 4." },
        { ["speak", "Hi.", "--voice", "VOICE", "-o", "OUT", "--format", "ogg"], 2, "hearsay: Cannot parse argument 'ogg' for option '--format'" },
        { ["speak", "Hi.", "-o", "OUT"], 2, "hearsay: Option '--voice' is required. (see 'hearsay speak --help')" },
        { ["speak", "Hi.", "--voice", "FOLDER/absent.onnx", "-o", "OUT"], 1, "hearsay: FOLDER/absent.onnx: voice model not found" },
        { ["speak", "Hi.", "--voice", "VOICE", "-o", "FOLDER/no/such/dir/out.wav"], 1, "hearsay: Could not find a part of the path" },
        { ["frobnicate"], 2, "hearsay: Unrecognized command or argument 'frobnicate'." },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Speak_Failure_ExitsNonZeroWithOneLineReason(string[] arguments, int exitCode, string message)
    {
        var output = _folder.File("out.wav");
        var resolved = arguments.Select(a => a
            .Replace("VOICE", PiperExpectations.SingleSpeakerVoice, StringComparison.Ordinal)
            .Replace("OUT", output, StringComparison.Ordinal)
            .Replace("FOLDER", _folder.Path, StringComparison.Ordinal)).ToArray();

        var result = await HearsayCli.RunAsync(resolved);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.StartsWith(message.Replace("FOLDER", _folder.Path, StringComparison.Ordinal), Assert.Single(result.StderrLines), StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
        Assert.Empty(Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public async Task Speak_CorruptModel_SaysWhichFileIsBroken()
    {
        var model = _folder.File("broken.onnx");
        await File.WriteAllTextAsync(model, "not a model");
        File.Copy(PiperExpectations.SingleSpeakerVoice + ".json", model + ".json");

        var result = await HearsayCli.RunAsync(["speak", "Hi.", "--voice", model, "-o", _folder.File("out.wav")]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"hearsay: {model}: is not a valid ONNX model", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HEARSAY_ESPEAK_NG", "/nonexistent/espeak-ng", "HEARSAY_ESPEAK_NG names /nonexistent/espeak-ng, which does not exist")]
    [InlineData("PATH", "/nonexistent", "looked in ")]
    public async Task Speak_EspeakNgMissing_ExitsThreeSayingTtsIsUnavailable(string variable, string value, string detail)
    {
        // The native program is asked for: the portable phonemizer beside hearsay would otherwise speak.
        var result = await HearsayCli.RunAsync(
            Speak(Text, _folder.File("out.wav"), "--phonemizer", "native"), environment: new Dictionary<string, string?> { [variable] = value });

        Assert.Equal(3, result.ExitCode);
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith("hearsay: TTS unavailable: espeak-ng not found (", line, StringComparison.Ordinal);
        Assert.Contains(detail, line, StringComparison.Ordinal);
        Assert.Contains("apt-get install espeak-ng", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Speak_Interrupted_ExitsWithSigintCodeAndLeavesNoFile()
    {
        var text = string.Join(' ', Enumerable.Repeat("This sentence is one of very many in a long text.", 2000));
        var output = _folder.File("long.wav");
        using var process = HearsayCli.Start(["speak", "-", "--voice", PiperExpectations.SingleSpeakerVoice, "-o", output]);
        var completion = HearsayCli.CompleteAsync(process, text);
        await Poll.UntilAsync(() => Directory.GetFiles(_folder.Path).Length > 0, TimeSpan.FromSeconds(60), "the CLI to start writing");

        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var result = await completion;
        Assert.Equal(130, result.ExitCode);
        Assert.Equal("hearsay: cancelled", Assert.Single(result.StderrLines));
        Assert.Empty(Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public async Task Speak_Mp3Extension_WritesAnMp3ThroughFfmpeg()
    {
        var output = _folder.File("hello-wörld.mp3");

        var result = await HearsayCli.RunAsync(Speak(Text, output));

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith($"Wrote {output}: 2 sentence(s), 1.21 s of audio at 22050 Hz", Assert.Single(result.StderrLines), StringComparison.Ordinal);
        Assert.Equal([output], Directory.GetFiles(_folder.Path));
        using var ffprobe = ChildProcess.Start(
            TestPaths.Program("ffprobe", "Install ffmpeg (apt-get install ffmpeg)."),
            ["-v", "error", "-show_entries", "format=format_name,duration:stream=codec_name,sample_rate,channels", "-of", "default=noprint_wrappers=1", output]);
        var probe = await ChildProcess.CompleteAsync(ffprobe);
        Assert.True(probe.ExitCode == 0, probe.Stderr);
        var fields = probe.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(f => f[0], f => f[1]);
        Assert.Equal("mp3", fields["format_name"]);
        Assert.Equal("mp3", fields["codec_name"]);
        Assert.Equal("22050", fields["sample_rate"]);
        Assert.Equal("1", fields["channels"]);
        // 1.21 s of speech plus the encoder's priming and last-frame padding, which an mp3 on a pipe does not record.
        Assert.InRange(double.Parse(fields["duration"], System.Globalization.CultureInfo.InvariantCulture), 1.2, 1.35);
    }
}
