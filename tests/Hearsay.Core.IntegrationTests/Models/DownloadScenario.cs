using System.Security.Cryptography;
using Hearsay.Core.Models.Catalog;
using Hearsay.Core.Models.Download;
using Hearsay.Core.Models.Store;
using Hearsay.Testing;

namespace Hearsay.Core.IntegrationTests.Models;

/// <summary>A local file server, a fresh store and a one-model catalog pointing at the server, for download tests.</summary>
internal sealed class DownloadScenario : IAsyncDisposable
{
    /// <summary>
    /// Fast retries, so fault tests take milliseconds rather than the product's seconds. The stall timeout stays
    /// long: a busy CI machine can pause a transfer for a second, and a spurious resume would change request counts.
    /// </summary>
    public static readonly ModelDownloadOptions FastRetries = new()
    {
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromMilliseconds(50),
        StallTimeout = TimeSpan.FromSeconds(10),
        ProgressInterval = TimeSpan.Zero,
    };

    private readonly TemporaryDirectory _folder = new();

    private DownloadScenario(FaultyFileServer server, Dictionary<string, byte[]> files)
    {
        Server = server;
        Files = files;
        Store = new ModelStore(_folder.File("store"));
        Http = new HttpClient();
        Model = new CatalogModel(
            "test-model",
            ModelKind.Stt,
            "whisper-onnx",
            ["en"],
            [.. files.Select(file => new CatalogFile(file.Key, server.Url("/files/" + file.Key), file.Value.Length, Convert.ToHexStringLower(SHA256.HashData(file.Value))))]);
    }

    public FaultyFileServer Server { get; }

    /// <summary>The model's files by name, as the server holds them.</summary>
    public Dictionary<string, byte[]> Files { get; }

    public ModelStore Store { get; }

    public HttpClient Http { get; }

    public CatalogModel Model { get; }

    /// <summary>A scratch folder outside the store.</summary>
    public TemporaryDirectory Folder => _folder;

    /// <summary>
    /// A model of <paramref name="sizes"/> random files plus the real <c>gpt2.tiktoken</c> from the shared assets, so every
    /// test also moves a real file.
    /// </summary>
    public static async Task<DownloadScenario> StartAsync(params int[] sizes)
    {
        var server = await FaultyFileServer.StartAsync();
        var random = new Random(sizes.Sum());
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (var i = 0; i < sizes.Length; i++)
        {
            var bytes = new byte[sizes[i]];
            random.NextBytes(bytes);
            files[$"part{i}.bin"] = bytes;
        }

        files["tokens.txt"] = await File.ReadAllBytesAsync(TestPaths.SharedFile("whisper", "gpt2.tiktoken"));
        foreach (var (name, bytes) in files)
        {
            server.Serve("/files/" + name, bytes);
        }

        return new DownloadScenario(server, files);
    }

    public static string PathOf(string name) => "/files/" + name;

    public ModelDownloader Downloader(ModelDownloadOptions? options = null) => new(Store, Http, options ?? FastRetries);

    /// <summary>Asserts the model is installed and every file holds exactly the served bytes.</summary>
    public void AssertInstalledExactly()
    {
        var installed = Store.FindInstalled(Model.Id);
        Assert.NotNull(installed);
        foreach (var (name, bytes) in Files)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(installed.PathOf(name))), $"{name} differs from what was served");
        }

        Assert.Empty(Directory.GetFiles(installed.Folder, "*" + ModelStore.PartialSuffix));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        _folder.Dispose();
    }
}
