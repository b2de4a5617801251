using Hearsay.Core.Tts.Piper;
using Hearsay.Testing;

namespace Hearsay.Core.Tests.Tts.Piper;

public sealed class PiperVoiceConfigTests
{
    private const string Minimal = """
        {"audio": {"sample_rate": 16000}, "espeak": {"voice": "en-us"},
         "phoneme_id_map": {"_": [0], "^": [1], "$": [2], "a": [3]}}
        """;

    [Theory]
    [InlineData("en_US-lessac-medium.onnx.json", 22050, "medium", 0.667f, 1.1f, 0.8f, 154)]
    [InlineData("en_US-lessac-low.onnx.json", 16000, "low", 0.667f, 1f, 0.8f, 154)]
    [InlineData("en_US-amy-low.onnx.json", 16000, "low", 0.667f, 1f, 0.8f, 130)]
    public void Load_RealPiperConfigs_ReadsEverySetting(
        string file, int sampleRate, string quality, float noiseScale, float lengthScale, float noiseW, int phonemeCount)
    {
        var config = PiperVoiceConfig.Load(TestPaths.SharedFile("piper", file));

        Assert.Equal(sampleRate, config.SampleRate);
        Assert.Equal(quality, config.Quality);
        Assert.Equal("en-us", config.EspeakVoice);
        Assert.Equal("en_US", config.LanguageCode);
        Assert.Equal(noiseScale, config.NoiseScale);
        Assert.Equal(lengthScale, config.LengthScale);
        Assert.Equal(noiseW, config.NoiseW);
        Assert.Equal(1, config.SpeakerCount);
        Assert.Empty(config.SpeakerIds);
        Assert.False(config.IsMultiSpeaker);
        Assert.Equal([1], config.PhonemeIdMap['^']);
        Assert.Equal([0], config.PhonemeIdMap['_']);
        Assert.Equal([2], config.PhonemeIdMap['$']);
        Assert.Equal([3], config.PhonemeIdMap[' ']);
        Assert.Equal(phonemeCount, config.PhonemeIdMap.Count);
    }

    [Fact]
    public void Load_GeneratedMultiSpeakerVoice_ReadsSpeakerMap()
    {
        var config = PiperVoiceConfig.Load(PiperExpectations.MultiSpeakerVoice + ".json");

        Assert.Equal(4, config.SpeakerCount);
        Assert.True(config.IsMultiSpeaker);
        Assert.Equal(2, config.SpeakerIds["cori"]);
        Assert.Equal(16000, config.SampleRate);
    }

    [Fact]
    public void Parse_MinimalConfig_UsesPiperDefaults()
    {
        var config = PiperVoiceConfig.Parse(Minimal, "voice.onnx.json");

        Assert.Equal(0.667f, config.NoiseScale);
        Assert.Equal(1f, config.LengthScale);
        Assert.Equal(0.8f, config.NoiseW);
        Assert.Equal(1, config.SpeakerCount);
    }

    [Fact]
    public void Load_MissingFile_ThrowsModelNotFoundNamingIt()
    {
        using var folder = new TemporaryDirectory();
        var path = folder.File("absent.onnx.json");

        var error = Assert.Throws<ModelLoadException>(() => PiperVoiceConfig.Load(path));

        Assert.Equal(HearsayErrorCode.ModelNotFound, error.Code);
        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json", "is not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("""{"espeak": {"voice": "en-us"}, "phoneme_id_map": {"_": [0], "^": [1], "$": [2]}}""", "audio is missing")]
    [InlineData("""{"audio": {}, "espeak": {"voice": "en-us"}, "phoneme_id_map": {"_": [0], "^": [1], "$": [2]}}""", "audio.sample_rate is missing")]
    [InlineData("""{"audio": {"sample_rate": "fast"}, "espeak": {"voice": "en-us"}, "phoneme_id_map": {"_": [0], "^": [1], "$": [2]}}""", "audio.sample_rate must be an integer")]
    [InlineData("""{"audio": {"sample_rate": 7}, "espeak": {"voice": "en-us"}, "phoneme_id_map": {"_": [0], "^": [1], "$": [2]}}""", "not a plausible sample rate")]
    [InlineData("""{"audio": {"sample_rate": 16000}, "phoneme_id_map": {"_": [0], "^": [1], "$": [2]}}""", "espeak is missing")]
    [InlineData("""{"audio": {"sample_rate": 16000}, "espeak": {"voice": "en-us"}}""", "phoneme_id_map is missing")]
    [InlineData("""{"audio": {"sample_rate": 16000}, "espeak": {"voice": "en-us"}, "phoneme_id_map": {"_": [0], "$": [2]}}""", "lacks '^'")]
    [InlineData("""{"audio": {"sample_rate": 16000}, "espeak": {"voice": "en-us"}, "phoneme_id_map": {"_": [0], "^": [1], "$": [2], "a": []}}""", "phoneme_id_map['a'] must be a non-empty array")]
    [InlineData("""{"audio": {"sample_rate": 16000}, "espeak": {"voice": "en-us"}, "phoneme_id_map": {"_": [0], "^": [1], "$": [-2]}}""", "is not a phoneme id")]
    [InlineData("""{"audio": {"sample_rate": 16000}, "espeak": {"voice": "en-us"}, "phoneme_id_map": {"_": [0], "^": [1], "$": [2]}, "num_speakers": 2, "speaker_id_map": {"a": 5}}""", "speaker_id_map['a'] must be an id from 0 to 1")]
    [InlineData("""{"audio": {"sample_rate": 16000}, "espeak": {"voice": "en-us"}, "phoneme_id_map": {"_": [0], "^": [1], "$": [2]}, "inference": {"noise_scale": -1}}""", "inference.noise_scale must be a non-negative number")]
    [InlineData("""{"audio": {"sample_rate": 16000}, "phoneme_type": "text", "phoneme_id_map": {"_": [0], "^": [1], "$": [2]}}""", "phoneme_type 'text' is not supported")]
    public void Parse_BrokenConfig_ThrowsModelInvalidNamingFileAndProblem(string json, string problem)
    {
        var error = Assert.Throws<ModelLoadException>(() => PiperVoiceConfig.Parse(json, "/voices/broken.onnx.json"));

        Assert.Equal(HearsayErrorCode.ModelInvalid, error.Code);
        Assert.Equal("/voices/broken.onnx.json", error.FilePath);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
        Assert.StartsWith("/voices/broken.onnx.json: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ModelPassedByMistake_SaysItIsTooLarge()
    {
        using var folder = new TemporaryDirectory();
        var path = folder.File("voice.onnx");
        File.WriteAllBytes(path, new byte[5 * 1024 * 1024]);

        var error = Assert.Throws<ModelLoadException>(() => PiperVoiceConfig.Load(path));

        Assert.Contains("too large for a voice config", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MultiCodePointKeys_AreIgnored()
    {
        var config = PiperVoiceConfig.Parse(Minimal.Replace("\"a\": [3]", "\"a\": [3], \"ab\": [4]", StringComparison.Ordinal), "v.json");

        Assert.Equal(4, config.PhonemeIdMap.Count);
    }
}
