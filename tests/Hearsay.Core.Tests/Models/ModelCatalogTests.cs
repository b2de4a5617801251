using System.Text;
using System.Text.Json;
using Hearsay.Core.Models.Catalog;

namespace Hearsay.Core.Tests.Models;

public class ModelCatalogTests
{
    private const string Hash = "0ce578b827c94a961aacb8fa14b02f096504b337e5c94be37c36238cbe3e8bc6";

    [Fact]
    public void BuiltIn_HasTheRequiredWhisperModelsAndVoices()
    {
        var ids = ModelCatalog.BuiltIn.Models.Select(model => model.Id).ToHashSet();

        foreach (var size in new[] { "tiny.en", "base.en", "small.en", "tiny", "base", "small" })
        {
            Assert.Contains($"whisper-{size}", ids);
        }

        foreach (var voice in new[] { "en_US-lessac-low", "en_US-lessac-medium", "en_US-lessac-high", "en_US-amy-medium", "en_US-ryan-medium", "en_US-libritts_r-medium", "en_GB-alba-medium" })
        {
            Assert.Contains($"piper-{voice}", ids);
        }

        Assert.Contains(ModelCatalog.BuiltIn.Models, model => model.Kind == ModelKind.Tts && model.Locale!.StartsWith("de_", StringComparison.Ordinal));
        Assert.Contains(ModelCatalog.BuiltIn.Models, model => model.Kind == ModelKind.Tts && model.Locale!.StartsWith("fr_", StringComparison.Ordinal));
        Assert.Contains(ModelCatalog.BuiltIn.Models, model => model.Kind == ModelKind.Tts && model.Locale!.StartsWith("es_", StringComparison.Ordinal));
        Assert.True(ModelCatalog.BuiltIn.Get("silero-vad").Bundled);
    }

    [Fact]
    public void BuiltIn_EveryFileIsHttpsWithSizeAndHash()
    {
        foreach (var file in ModelCatalog.BuiltIn.Models.SelectMany(model => model.Files))
        {
            Assert.Equal("https", file.Url.Scheme);
            Assert.True(file.Size > 0);
            Assert.True(file.Sha256 is { Length: 64 } || file.Md5 is not null || file.Sha1 is not null, file.Path);
        }
    }

    [Fact]
    public void BuiltIn_WhisperModelsHaveEncoderDecoderAndTokens()
    {
        foreach (var model in ModelCatalog.BuiltIn.Models.Where(model => model.Engine == "whisper-onnx"))
        {
            Assert.Contains(model.Files, file => file.Path.Contains("-encoder.", StringComparison.Ordinal));
            Assert.Contains(model.Files, file => file.Path.Contains("-decoder.", StringComparison.Ordinal));
            Assert.Contains(model.Files, file => file.Path.EndsWith("-tokens.txt", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void MergedWith_ReplacesSameIdAndAddsNew()
    {
        var extra = Parse(Model("whisper-tiny.en", "https://mirror.example/x.onnx") + "," + Model("private-voice", "https://example.com/v.onnx"));

        var merged = ModelCatalog.BuiltIn.MergedWith(extra);

        Assert.Equal(new Uri("https://mirror.example/x.onnx"), merged.Get("whisper-tiny.en").Files.Single().Url);
        Assert.NotNull(merged.Find("private-voice"));
        Assert.Equal(ModelCatalog.BuiltIn.Models.Count + 1, merged.Models.Count);
    }

    [Fact]
    public void WithMirror_Url_KeepsThePathOnTheMirrorHost()
    {
        var catalog = Parse(Model("m", "https://huggingface.co/org/repo/resolve/abc123/file.onnx"));

        var mirrored = catalog.WithMirror(ModelMirror.Parse("http://127.0.0.1:8080/hf/"));

        Assert.Equal("http://127.0.0.1:8080/hf/org/repo/resolve/abc123/file.onnx", mirrored.Get("m").Files[0].Url.AbsoluteUri);
    }

    [Fact]
    public void WithMirror_Folder_MapsToAFileUnderIt()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mirror");
        var catalog = Parse(Model("m", "https://huggingface.co/org/repo/resolve/main/file%20name.onnx"));

        var url = catalog.WithMirror(ModelMirror.Parse(folder)).Get("m").Files[0].Url;

        Assert.True(url.IsFile);
        Assert.Equal(Path.Combine(folder, "org", "repo", "resolve", "main", "file name.onnx"), url.LocalPath);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{}", "\"models\" array")]
    [InlineData("{\"models\":[{\"id\":\"../x\",\"kind\":\"stt\",\"engine\":\"e\",\"files\":[]}]}", "not a valid model id")]
    [InlineData("{\"models\":[{\"id\":\"a\",\"kind\":\"music\",\"engine\":\"e\",\"files\":[]}]}", "kind 'music'")]
    [InlineData("{\"models\":[{\"id\":\"a\",\"kind\":\"stt\",\"engine\":\"e\",\"files\":[]}]}", "at least one file")]
    [InlineData("{\"models\":[{\"id\":\"a\",\"kind\":\"stt\",\"engine\":\"e\",\"files\":[{\"path\":\"../x\",\"url\":\"https://h/x\",\"size\":1,\"sha256\":\"" + Hash + "\"}]}]}", "not a plain file name")]
    [InlineData("{\"models\":[{\"id\":\"a\",\"kind\":\"stt\",\"engine\":\"e\",\"files\":[{\"path\":\"x\",\"url\":\"ftp://h/x\",\"size\":1,\"sha256\":\"" + Hash + "\"}]}]}", "http(s) or file URL")]
    [InlineData("{\"models\":[{\"id\":\"a\",\"kind\":\"stt\",\"engine\":\"e\",\"files\":[{\"path\":\"x\",\"url\":\"https://h/x\",\"size\":0,\"sha256\":\"" + Hash + "\"}]}]}", "positive number")]
    [InlineData("{\"models\":[{\"id\":\"a\",\"kind\":\"stt\",\"engine\":\"e\",\"files\":[{\"path\":\"x\",\"url\":\"https://h/x\",\"size\":1,\"sha256\":\"abc\"}]}]}", "64 hexadecimal digits")]
    [InlineData("{\"models\":[{\"id\":\"a\",\"kind\":\"stt\",\"engine\":\"e\",\"files\":[{\"path\":\"x\",\"url\":\"https://h/x\",\"size\":1}]}]}", "needs a sha256")]
    public void Parse_InvalidCatalog_NamesTheProblem(string json, string expected)
    {
        var error = Assert.Throws<HearsayException>(() => ModelCatalog.Parse(Encoding.UTF8.GetBytes(json), "test.json"));

        Assert.Equal(HearsayErrorCode.ModelInvalid, error.Code);
        Assert.Contains("test.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x.onnx\n")]
    [InlineData("NUL")]
    [InlineData("con.onnx")]
    [InlineData("Lpt3.json")]
    [InlineData("voice.onnx.")]
    public void Parse_FileNameAWindowsDeviceALineBreakOrATrailingDot_IsNotAPlainFileName(string path)
    {
        var json = $$"""{"models":[{"id":"a","kind":"stt","engine":"e","files":[{"path":{{JsonSerializer.Serialize(path)}},"url":"https://h/x","size":1,"sha256":"{{Hash}}"}]}]}""";

        var error = Assert.Throws<HearsayException>(() => ModelCatalog.Parse(Encoding.UTF8.GetBytes(json), "test.json"));

        Assert.Equal(HearsayErrorCode.ModelInvalid, error.Code);
        Assert.Contains("not a plain file name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_IdWithATrailingLineBreak_IsRejected()
    {
        var json = $$"""{"models":[{"id":"a\n","kind":"stt","engine":"e","files":[{"path":"x","url":"https://h/x","size":1,"sha256":"{{Hash}}"}]}]}""";

        var error = Assert.Throws<HearsayException>(() => ModelCatalog.Parse(Encoding.UTF8.GetBytes(json), "test.json"));

        Assert.Contains("not a valid model id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateIds_AreRejected()
    {
        var error = Assert.Throws<HearsayException>(() => Parse(Model("a", "https://h/1") + "," + Model("a", "https://h/2")));

        Assert.Contains("more than once", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_UnknownId_SaysHowToList()
    {
        var error = Assert.Throws<HearsayException>(() => ModelCatalog.BuiltIn.Get("whisper-huge"));

        Assert.Equal(HearsayErrorCode.ModelNotFound, error.Code);
        Assert.Contains("hearsay models list", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_ExtraCatalogFileAndMirror_AreApplied()
    {
        var path = Path.Combine(Path.GetTempPath(), $"catalog-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, "{\"models\":[" + Model("private", "https://huggingface.co/o/r/resolve/main/f.onnx") + "]}");
        try
        {
            var catalog = await ModelCatalog.LoadAsync(path, "http://127.0.0.1:9/m");

            Assert.Equal("http://127.0.0.1:9/m/o/r/resolve/main/f.onnx", catalog.Get("private").Files[0].Url.AbsoluteUri);
            Assert.StartsWith("http://127.0.0.1:9/m/", catalog.Get("whisper-tiny.en").Files[0].Url.AbsoluteUri, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task LoadAsync_MissingExtraCatalog_IsModelNotFound()
    {
        var error = await Assert.ThrowsAsync<HearsayException>(() => ModelCatalog.LoadAsync("/nonexistent/catalog.json", ""));

        Assert.Equal(HearsayErrorCode.ModelNotFound, error.Code);
    }

    private static ModelCatalog Parse(string models) => ModelCatalog.Parse(Encoding.UTF8.GetBytes("{\"models\":[" + models + "]}"), "test");

    private static string Model(string id, string url) =>
        "{\"id\":\"" + id + "\",\"kind\":\"stt\",\"engine\":\"whisper-onnx\",\"languages\":[\"en\"],\"files\":[{\"path\":\"f.onnx\",\"url\":\"" + url + "\",\"size\":10,\"sha256\":\"" + Hash + "\"}]}";
}
