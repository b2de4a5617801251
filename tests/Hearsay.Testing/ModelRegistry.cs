using System.Security.Cryptography;
using System.Text.Json;

namespace Hearsay.Testing;

/// <summary>
/// A private model registry on 127.0.0.1: the repo's tiny test voice and Whisper model served by a
/// <see cref="FaultyFileServer"/>, a catalog naming them (<c>HEARSAY_CATALOG</c>) and a fresh store (<c>HEARSAY_MODELS_DIR</c>).
/// </summary>
public sealed class ModelRegistry : IAsyncDisposable
{
    public const string Voice = "test-voice";
    public const string Whisper = "test-whisper";

    private readonly TemporaryDirectory _folder = new();

    private ModelRegistry(FaultyFileServer server) => Server = server;

    /// <summary>The size of <see cref="Voice"/> as the registry first publishes it (the tiny single-speaker voice).</summary>
    public static long VoiceBytes =>
        new FileInfo(TestPaths.RepoAsset("piper", "tiny-single.onnx")).Length + new FileInfo(TestPaths.RepoAsset("piper", "tiny-single.onnx.json")).Length;

    public FaultyFileServer Server { get; }

    public string StoreRoot => _folder.File("store");

    /// <summary>The registry's catalog file (what <c>HEARSAY_CATALOG</c> names).</summary>
    public string CatalogPath => _folder.File("catalog.json");

    public TemporaryDirectory Folder => _folder;

    public Dictionary<string, string?> Environment => new()
    {
        ["HEARSAY_CATALOG"] = CatalogPath,
        ["HEARSAY_MODELS_DIR"] = StoreRoot,
        ["HEARSAY_MODEL_MIRROR"] = null,
    };

    public static async Task<ModelRegistry> StartAsync()
    {
        var registry = new ModelRegistry(await FaultyFileServer.StartAsync());
        await registry.WriteCatalogAsync("tiny-single");
        return registry;
    }

    /// <summary>Publishes a new version of <see cref="Voice"/>: the catalog now lists the multi-speaker test voice's files.</summary>
    public Task UpdateVoiceAsync() => WriteCatalogAsync("tiny-multi");

    private async Task WriteCatalogAsync(string voiceName)
    {
        string[] voice = [TestPaths.RepoAsset("piper", voiceName + ".onnx"), TestPaths.RepoAsset("piper", voiceName + ".onnx.json")];
        string[] whisper =
        [
            TestPaths.RepoAsset("whisper", "tiny-en", "tiny-en-encoder.int8.onnx"),
            TestPaths.RepoAsset("whisper", "tiny-en", "tiny-en-decoder.int8.onnx"),
            TestPaths.RepoAsset("whisper", "tiny-en", "tiny-en-tokens.txt"),
        ];
        var models = new[]
        {
            Model(Voice, "tts", "piper", voice),
            Model(Whisper, "stt", "whisper-onnx", whisper),
        };
        await File.WriteAllTextAsync(CatalogPath, JsonSerializer.Serialize(new { models }));
    }

    /// <summary>The URL path a file of the registry is served at.</summary>
    public static string PathOf(string modelId, string fileName) => $"/{modelId}/{fileName}";

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _folder.Dispose();
    }

    private object Model(string id, string kind, string engine, IEnumerable<string> files) => new
    {
        id,
        kind,
        engine,
        languages = new[] { "en" },
        license = "MIT",
        description = "a tiny test model",
        files = files.Select(file =>
        {
            var name = Path.GetFileName(file);
            Server.Serve(PathOf(id, name), file);
            return new
            {
                path = name,
                url = Server.Url(PathOf(id, name)).AbsoluteUri,
                size = new FileInfo(file).Length,
                sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))),
            };
        }).ToArray(),
    };
}
