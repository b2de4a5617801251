using Hearsay.Core.Onnx;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Cli;

/// <summary><c>--threads</c> of every command that loads a model: checked before anything loads, and passed to each engine.</summary>
public sealed class ThreadsOptionTests
{
    private static string Jfk => TestPaths.SharedFile("audio", "wav16k", "jfk.wav");

    private static string[] Command(string name, params string[] extra) => name switch
    {
        "transcribe" => ["transcribe", Jfk, "--model", WhisperExpectations.ModelDirectory("tiny-en"), "--no-fallback", .. extra],
        "speak" => ["speak", "Hello.", "--voice", PiperExpectations.SingleSpeakerVoice, "-o", "-", "--format", "pcm", .. extra],
        _ => ["serve", "--stt", WhisperExpectations.ModelDirectory("tiny-en"), "--tts", PiperExpectations.SingleSpeakerVoice, "--port", "0", .. extra],
    };

    [Theory]
    [InlineData("transcribe", "0")]
    [InlineData("speak", "0")]
    [InlineData("serve", "0")]
    [InlineData("transcribe", "-3")]
    public async Task Threads_BelowOne_IsAUsageErrorOnOneLine(string command, string threads)
    {
        var result = await HearsayCli.RunAsync(Command(command, "--threads", threads));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"hearsay: --threads must be at least 1, not {threads}. (see 'hearsay {command} --help')", Assert.Single(result.StderrLines));
        Assert.Empty(result.Stdout);
    }

    [Theory]
    [InlineData("transcribe", "Loaded Whisper")]
    [InlineData("speak", "Loaded voice")]
    public async Task Threads_Given_ReachesTheEngine(string command, string loadLine)
    {
        var result = await HearsayCli.RunAsync(Command(command, "--threads", "1", "--verbose"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(result.StderrLines, line => line.Contains(loadLine, StringComparison.Ordinal) && line.Contains(", 1 thread(s))", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("transcribe", "Loaded Whisper")]
    [InlineData("speak", "Loaded voice")]
    public async Task Threads_Absent_EngineTakesTheDefault(string command, string loadLine)
    {
        var result = await HearsayCli.RunAsync(Command(command, "--verbose"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(result.StderrLines, line =>
            line.Contains(loadLine, StringComparison.Ordinal) && line.Contains($", {EngineThreads.Default.Count} thread(s))", StringComparison.Ordinal));
    }
}
