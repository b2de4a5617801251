using System.Text.Json;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Cli;

public sealed class PhonemesCommandTests
{
    private static readonly string Config = TestPaths.SharedFile("piper", "en_US-lessac-medium.onnx.json");

    [Fact]
    public async Task Phonemes_Text_PrintsIpaAndIdsPerSentence()
    {
        var result = await HearsayCli.RunAsync(["phonemes", "Café déjà vu — naïve? Yes.", "--voice", Config]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            [
                "[1] Café déjà vu — naïve?",
                "    phonemes: kæfˈeɪ dˌeɪʒɑː vˈuː; naɪˈiːv?",
                "    ids: 1 0 23 0 39 0 19 0 120 0 18 0 74 0 3 0 17 0 121 0 18 0 74 0 108 0 51 0 122 0 3 0 34 0 120 0 33 0 122 0 12 0 3 0 26 0 14 0 74 0 120 0 21 0 122 0 34 0 13 0 2",
                "[2] Yes.",
                "    phonemes: jˈɛs.",
                "    ids: 1 0 22 0 120 0 61 0 31 0 10 0 2",
            ],
            result.StdoutText.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Phonemes_Json_IsMachineReadable()
    {
        var result = await HearsayCli.RunAsync(["phonemes", "-", "--voice", PiperExpectations.SingleSpeakerVoice, "--json"], stdin: "Hello world, friends!");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var sentence = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("Hello world, friends!", sentence.GetProperty("text").GetString());
        Assert.Equal("həlˈoʊ wˈɜːld, fɹˈɛndz!", sentence.GetProperty("phonemes").GetString());
        Assert.Equal(1, sentence.GetProperty("phoneme_ids")[0].GetInt64());
    }

    [Fact]
    public async Task Phonemes_BrokenConfig_NamesFileAndProblem()
    {
        using var folder = new TemporaryDirectory();
        var config = folder.File("voice.onnx.json");
        await File.WriteAllTextAsync(config, """{"audio": {"sample_rate": 22050}}""");

        var result = await HearsayCli.RunAsync(["phonemes", "Hi", "--voice", config]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"hearsay: {config}: espeak is missing", Assert.Single(result.StderrLines));
    }
}
