using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Cli;

public sealed class DoctorCommandTests : IDisposable
{
    private readonly string _store = Directory.CreateTempSubdirectory("hearsay-doctor-").FullName;

    public void Dispose() => Directory.Delete(_store, recursive: true);

    [Fact]
    public async Task Doctor_EverythingInstalled_ReportsEachPieceWithItsVersionAndExitsZero()
    {
        var voice = TestPaths.RepoAsset("piper", "tiny-single.onnx");

        var result = await HearsayCli.RunAsync(["doctor", "--models-dir", _store, "--stt", "whisper-base.en", "--tts", voice]);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"ONNX Runtime +ok +\d+\.\d+", result.StdoutText);
        // The portable phonemizer beside the built hearsay is found first, and says so in its version.
        Assert.Matches(@"espeak-ng +ok +\d+\.\d+\S*( \(portable\))? at /\S+", result.StdoutText);
        Assert.Matches(@"ffmpeg +ok +\d+\.\d+\S* at /\S+", result.StdoutText);
        Assert.Contains($"model store     ok       {_store} (writable, 0 model(s)", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("speech-to-text  note     whisper-base.en: not installed yet", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("hearsay models pull whisper-base.en", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains($"text-to-speech  ok       {voice}", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("Everything Hearsay runs is here.", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_EspeakNgMissingWithAVoiceToServe_ExitsOneAndCountsOnlyIt()
    {
        var nowhere = Path.Combine(_store, "no-such-program");
        var voice = TestPaths.RepoAsset("piper", "tiny-single.onnx");

        var result = await HearsayCli.RunAsync(["doctor", "--models-dir", _store, "--espeak-ng", nowhere, "--ffmpeg", nowhere, "--stt", "none", "--tts", voice]);

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"espeak-ng +MISSING +TTS unavailable", result.StdoutText);
        // ffmpeg only narrows the formats: said, with what it disables, but not counted.
        Assert.Matches(@"ffmpeg +missing +ffmpeg not found .*It is optional.*apt-get install ffmpeg", result.StdoutText);
        Assert.Contains("Optional: decodes uploaded audio in other formats, such as AAC/M4A, and encodes speech as mp3, aac and flac", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("1 thing(s) missing", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_OnlyProgramsNothingNeedsMissing_SaysWhatEachDisablesAndExitsZero()
    {
        var nowhere = Path.Combine(_store, "no-such-program");

        var result = await HearsayCli.RunAsync(["doctor", "--models-dir", _store, "--espeak-ng", nowhere, "--ffmpeg", nowhere, "--stt", "none", "--tts", "none"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"espeak-ng +missing +TTS unavailable", result.StdoutText);
        Assert.Matches(@"ffmpeg +missing +ffmpeg not found .*It is optional.*apt-get install ffmpeg", result.StdoutText);
        Assert.Contains("Optional: decodes uploaded audio in other formats, such as AAC/M4A, and encodes speech as mp3, aac and flac", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("speech-to-text  off", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("Everything Hearsay needs is here; 2 optional program(s) missing", result.StdoutText, StringComparison.Ordinal);
    }
}
