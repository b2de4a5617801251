using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hearsay.Core.Models.Catalog;
using Hearsay.Core.Models.Store;
using Hearsay.Testing;

namespace Hearsay.Core.IntegrationTests.Models;

/// <summary>Offline import, export and seeding with real small files from the shared assets.</summary>
public sealed class ModelTransferTests : IDisposable
{
    private const string Voice = "test-voice";
    private const string Tokens = "test-tokens";
    private const string Lessac = "en_US-lessac-low.onnx.json";
    private const string Amy = "en_US-amy-low.onnx.json";
    private const string Gpt2 = "gpt2.tiktoken";
    private const string Medium = "test-medium";
    private const string LessacMedium = "en_US-lessac-medium.onnx.json";
    private const string License = "LICENSE.openai-whisper.txt";

    private static readonly Dictionary<string, string> Sources = new(StringComparer.Ordinal)
    {
        [Lessac] = TestPaths.SharedFile("piper", Lessac),
        [Amy] = TestPaths.SharedFile("piper", Amy),
        [LessacMedium] = TestPaths.SharedFile("piper", LessacMedium),
        [Gpt2] = TestPaths.SharedFile("whisper", Gpt2),
        [License] = TestPaths.SharedFile("whisper", License),
    };

    private static readonly string[] English = ["en"];

    private readonly TemporaryDirectory _temp = new();
    private readonly ModelCatalog _catalog = Catalog((Voice, [Lessac, Amy]), (Tokens, [Gpt2]), (Medium, [LessacMedium]));
    private readonly ModelStore _store;

    public ModelTransferTests() => _store = new ModelStore(_temp.File("store"));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ImportAsync_Folder_InstallsVerifiedFiles()
    {
        var folder = Stage(Voice, Lessac, Amy);

        var installed = await ModelTransfer.ImportAsync(_store, _catalog, folder);

        AssertInstalled(_store, Voice, Lessac, Amy);
        Assert.Equal(_store.FolderOf(Voice), installed.Folder);
        Assert.Empty(Directory.GetFiles(installed.Folder, "*" + ModelStore.PartialSuffix));
    }

    [Theory]
    [InlineData(".tar")]
    [InlineData(".tar.gz")]
    [InlineData(".tgz")]
    [InlineData(".zip")]
    public async Task ImportAsync_Archive_InstallsFromTheTopLevelFolder(string extension)
    {
        var archive = Archive(Stage(Voice, Lessac, Amy), "copied-from-elsewhere" + extension, includeFolder: true);

        await ModelTransfer.ImportAsync(_store, _catalog, archive);

        AssertInstalled(_store, Voice, Lessac, Amy);
    }

    [Fact]
    public async Task ImportAsync_ArchiveOfLooseFiles_TakesTheIdFromTheArchiveName()
    {
        var archive = Archive(Stage("loose", Gpt2), Tokens + ".zip", includeFolder: false);

        await ModelTransfer.ImportAsync(_store, _catalog, archive);

        AssertInstalled(_store, Tokens, Gpt2);
    }

    [Fact]
    public async Task ImportAsync_UnnamedFolder_RecognisesTheOnlyModelWhoseFilesAreThere()
    {
        var folder = Stage("some-usb-stick", Gpt2, License);

        var installed = await ModelTransfer.ImportAsync(_store, _catalog, folder);

        Assert.Equal(Tokens, installed.Id);
        Assert.False(File.Exists(installed.PathOf(License)), "a file the catalog does not list was copied");
    }

    [Fact]
    public async Task ImportAsync_ManifestInside_NamesTheModel()
    {
        var folder = Stage("backup", Lessac, Amy);
        File.WriteAllText(Path.Combine(folder, ".hearsay-model.json"), """{"format":1,"model":{"id":"test-voice"}}""");

        var installed = await ModelTransfer.ImportAsync(_store, _catalog, folder);

        Assert.Equal(Voice, installed.Id);
    }

    [Theory]
    [InlineData(".tar")]
    [InlineData(".tar.gz")]
    [InlineData(".tgz")]
    [InlineData(".zip")]
    [InlineData("")]
    public async Task ExportAsync_ThenImportIntoAnotherStore_RoundTrips(string extension)
    {
        await ModelTransfer.ImportAsync(_store, _catalog, Stage(Voice, Lessac, Amy));
        var destination = _temp.File("exports/backup" + extension);

        var written = await ModelTransfer.ExportAsync(_store, Voice, destination);
        var other = new ModelStore(_temp.File("other-store"));
        var installed = await ModelTransfer.ImportAsync(other, _catalog, written);

        Assert.Equal(extension.Length == 0 ? Path.Combine(destination, Voice) : destination, written);
        Assert.Equal(Voice, installed.Id);
        AssertInstalled(other, Voice, Lessac, Amy);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(destination)!, "*.tmp"));
    }

    [Fact]
    public async Task ExportAsync_NotInstalled_ThrowsModelNotFound()
    {
        var error = await Assert.ThrowsAsync<HearsayException>(() => ModelTransfer.ExportAsync(_store, Voice, _temp.File("out.zip")));

        Assert.Equal(HearsayErrorCode.ModelNotFound, error.Code);
        Assert.False(File.Exists(_temp.File("out.zip")));
    }

    [Fact]
    public async Task ImportAsync_OneByteFlipped_RefusesAndLeavesTheStoreUnchanged()
    {
        var folder = Stage(Voice, Lessac, Amy);
        var tampered = File.ReadAllBytes(Path.Combine(folder, Amy));
        tampered[tampered.Length / 2] ^= 0x01;
        File.WriteAllBytes(Path.Combine(folder, Amy), tampered);

        var error = await Assert.ThrowsAsync<HearsayException>(() => ModelTransfer.ImportAsync(_store, _catalog, folder));

        Assert.Equal(HearsayErrorCode.IntegrityCheckFailed, error.Code);
        Assert.Contains(Amy, error.Message, StringComparison.Ordinal);
        Assert.Contains("SHA256", error.Message, StringComparison.Ordinal);
        AssertNothingInstalled(Voice);
    }

    [Fact]
    public async Task ImportAsync_ShortFileInArchive_RefusesNamingTheSize()
    {
        var folder = Stage(Voice, Lessac, Amy);
        var bytes = File.ReadAllBytes(Path.Combine(folder, Lessac));
        File.WriteAllBytes(Path.Combine(folder, Lessac), bytes[..^10]);

        var error = await Assert.ThrowsAsync<HearsayException>(
            () => ModelTransfer.ImportAsync(_store, _catalog, Archive(folder, "voice.tar.gz", includeFolder: true)));

        Assert.Equal(HearsayErrorCode.IntegrityCheckFailed, error.Code);
        Assert.Contains($"{Lessac}: it has {bytes.Length - 10:N0} bytes", error.Message, StringComparison.Ordinal);
        AssertNothingInstalled(Voice);
    }

    [Fact]
    public async Task ImportAsync_MissingFile_RefusesNamingIt()
    {
        var error = await Assert.ThrowsAsync<HearsayException>(() => ModelTransfer.ImportAsync(_store, _catalog, Stage(Voice, Lessac)));

        Assert.Equal(HearsayErrorCode.IntegrityCheckFailed, error.Code);
        Assert.Contains($"{Amy}: it is missing", error.Message, StringComparison.Ordinal);
        AssertNothingInstalled(Voice);
    }

    [Fact]
    public async Task ImportAsync_UnknownId_ThrowsModelNotFound()
    {
        var folder = Stage(Voice, Lessac, Amy);

        var named = await Assert.ThrowsAsync<HearsayException>(() => ModelTransfer.ImportAsync(_store, _catalog, folder, id: "no-such-model"));
        var unrecognised = await Assert.ThrowsAsync<HearsayException>(() => ModelTransfer.ImportAsync(_store, _catalog, Stage("mystery", License)));

        Assert.Equal(HearsayErrorCode.ModelNotFound, named.Code);
        Assert.Equal(HearsayErrorCode.ModelNotFound, unrecognised.Code);
        Assert.Empty(_store.ListInstalled());
    }

    [Fact]
    public async Task ImportAsync_BundledModel_ThrowsInvalidInput()
    {
        var catalog = ModelCatalog.Parse(
            """{"models":[{"id":"test-vad","kind":"vad","engine":"silero-vad","bundled":true,"files":[]}]}"""u8, "test");

        var error = await Assert.ThrowsAsync<HearsayException>(() => ModelTransfer.ImportAsync(_store, catalog, Stage("x", Gpt2), id: "test-vad"));

        Assert.Equal(HearsayErrorCode.InvalidInput, error.Code);
    }

    [Theory]
    [InlineData(".tar")]
    [InlineData(".zip")]
    public async Task ImportAsync_TraversalAndLinkEntries_WritesNothingOutsideTheModelFolder(string extension)
    {
        var marker = $"evil-{Guid.NewGuid():N}";
        string[] traversals = [$"../{marker}", $"../../../{marker}", $"/tmp/{marker}"];
        var archive = _temp.File("nested/deeper/archive" + extension);
        Directory.CreateDirectory(Path.GetDirectoryName(archive)!);
        var entries = traversals.Select(name => (Name: name, Bytes: "x"u8.ToArray())).Append(("../" + Gpt2, File.ReadAllBytes(Sources[Gpt2])));
        await using (var stream = File.Create(archive))
        {
            if (extension == ".zip")
            {
                using var zip = new ZipArchive(stream, ZipArchiveMode.Create);
                foreach (var (name, bytes) in entries)
                {
                    using var entry = zip.CreateEntry(name).Open();
                    entry.Write(bytes);
                }
            }
            else
            {
                using var tar = new TarWriter(stream, TarEntryFormat.Pax);
                tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, Gpt2) { LinkName = "/etc/passwd" });
                foreach (var (name, bytes) in entries)
                {
                    tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes) });
                }
            }
        }

        var installed = await ModelTransfer.ImportAsync(_store, _catalog, archive, id: Tokens);

        AssertInstalled(_store, Tokens, Gpt2);
        Assert.Equal(new[] { ".hearsay-model.json", Gpt2 }, Directory.GetFiles(installed.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.EnumerateFiles(_temp.Path, marker, SearchOption.AllDirectories));
        foreach (var traversal in traversals)
        {
            foreach (var from in new[] { installed.Folder, _store.Root, Environment.CurrentDirectory })
            {
                Assert.False(File.Exists(Path.GetFullPath(Path.Combine(from, traversal))), $"{traversal} was written relative to {from}");
            }
        }
    }

    [Fact]
    public async Task ImportAsync_ManifestClaimingOtherHashes_DoesNotOverrideTheCatalog()
    {
        var folder = Stage(Tokens, Gpt2);
        var tampered = File.ReadAllBytes(Path.Combine(folder, Gpt2));
        tampered[100] ^= 0x20;
        File.WriteAllBytes(Path.Combine(folder, Gpt2), tampered);
        var lying = Catalog([(Tokens, new[] { Gpt2 })], overrides: new Dictionary<string, byte[]> { [Gpt2] = tampered });
        File.WriteAllText(Path.Combine(folder, ".hearsay-model.json"), ManifestFor(lying.Get(Tokens)));

        var error = await Assert.ThrowsAsync<HearsayException>(() => ModelTransfer.ImportAsync(_store, _catalog, folder));

        Assert.Equal(HearsayErrorCode.IntegrityCheckFailed, error.Code);
        AssertNothingInstalled(Tokens);
    }

    [Fact]
    public async Task ImportAsync_SameModelInstalled_ReturnsItWithoutReading()
    {
        var folder = Stage(Voice, Lessac, Amy);
        var first = await ModelTransfer.ImportAsync(_store, _catalog, folder);
        File.Delete(Path.Combine(folder, Amy));

        var second = await ModelTransfer.ImportAsync(_store, _catalog, folder);

        Assert.Equal(first.InstalledAt, second.InstalledAt);
    }

    [Fact]
    public async Task ImportAsync_DifferentModelInstalled_ReplacesOnlyWhenAskedAndOnlyWhenValid()
    {
        await ModelTransfer.ImportAsync(_store, _catalog, Stage(Voice, Lessac, Amy));
        var newer = Catalog((Voice, [Lessac, LessacMedium]));
        var update = Stage(Voice + "-update", Lessac, LessacMedium);

        var refused = await Assert.ThrowsAsync<HearsayException>(() => ModelTransfer.ImportAsync(_store, newer, update, Voice));
        var broken = Stage(Voice + "-broken", Lessac);
        var invalid = await Assert.ThrowsAsync<HearsayException>(() => ModelTransfer.ImportAsync(_store, newer, broken, Voice, replace: true));
        AssertInstalled(_store, Voice, Lessac, Amy);
        var replaced = await ModelTransfer.ImportAsync(_store, newer, update, Voice, replace: true);

        Assert.Equal(HearsayErrorCode.InvalidInput, refused.Code);
        Assert.Contains("--replace", refused.Message, StringComparison.Ordinal);
        Assert.Equal(HearsayErrorCode.IntegrityCheckFailed, invalid.Code);
        AssertInstalled(_store, Voice, Lessac, LessacMedium);
        Assert.False(replaced.DiffersFrom(newer.Get(Voice)));
        Assert.False(File.Exists(replaced.PathOf(Amy)), "the replaced version's file was left behind");
    }

    [Fact]
    public async Task SeedAsync_TwoGoodOneBroken_ImportsTheGoodAndReportsTheBroken()
    {
        var seed = _temp.File("seed");
        Directory.CreateDirectory(seed);
        Directory.Move(Stage(Voice, Lessac, Amy), Path.Combine(seed, Voice));
        File.Move(Archive(Stage(Tokens, Gpt2), "tokens.tar.gz", includeFolder: true), Path.Combine(seed, "tokens.tar.gz"));
        var broken = Stage(Medium, LessacMedium);
        File.WriteAllBytes(Path.Combine(broken, LessacMedium), File.ReadAllBytes(Path.Combine(broken, LessacMedium)).Skip(1).ToArray());
        Directory.Move(broken, Path.Combine(seed, Medium));
        File.WriteAllText(Path.Combine(seed, "README.txt"), "not a model");

        var first = await ModelTransfer.SeedAsync(_store, _catalog, seed);
        var again = await ModelTransfer.SeedAsync(_store, _catalog, seed);

        Assert.Equal(new[] { Tokens, Voice }, first.Imported.Select(model => model.Id).Order(StringComparer.Ordinal));
        var skip = Assert.Single(first.Skipped);
        Assert.Equal(Path.Combine(seed, Medium), skip.Path);
        Assert.Equal(HearsayErrorCode.IntegrityCheckFailed, skip.Code);
        Assert.Contains(LessacMedium, skip.Reason, StringComparison.Ordinal);
        AssertNothingInstalled(Medium);
        AssertInstalled(_store, Voice, Lessac, Amy);
        AssertInstalled(_store, Tokens, Gpt2);
        Assert.Empty(again.Imported);
        Assert.Equal(2, again.AlreadyInstalled.Count);
        Assert.Equal(Path.Combine(seed, Medium), Assert.Single(again.Skipped).Path);
    }

    /// <summary>A catalog of models made of shared files, with their real sizes and SHA-256.</summary>
    private static ModelCatalog Catalog(params (string Id, string[] Files)[] models) => Catalog(models, overrides: null);

    /// <summary>As <see cref="Catalog(ValueTuple{string, string[]}[])"/>, but describing <paramref name="overrides"/>' bytes for those files.</summary>
    private static ModelCatalog Catalog((string Id, string[] Files)[] models, Dictionary<string, byte[]>? overrides)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new
        {
            models = models.Select(model => new
            {
                id = model.Id,
                kind = "tts",
                engine = "piper",
                languages = English,
                license = "MIT",
                files = model.Files.Select(name =>
                {
                    var bytes = overrides?.GetValueOrDefault(name) ?? File.ReadAllBytes(Sources[name]);
                    return new { path = name, url = new Uri(Sources[name]).AbsoluteUri, size = bytes.Length, sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)) };
                }),
            }),
        });
        return ModelCatalog.Parse(json, "test");
    }

    private static string ManifestFor(CatalogModel model)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("format", 1);
            writer.WriteString("installed_at", "2020-01-01T00:00:00+00:00");
            writer.WritePropertyName("model");
            CatalogWriter.WriteModel(writer, model);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A fresh folder named <paramref name="name"/> holding copies of shared files (writable, unlike the originals).</summary>
    private string Stage(string name, params string[] files)
    {
        var folder = Path.Combine(_temp.File("sources"), Guid.NewGuid().ToString("N"), name);
        Directory.CreateDirectory(folder);
        foreach (var file in files)
        {
            File.WriteAllBytes(Path.Combine(folder, file), File.ReadAllBytes(Sources[file]));
        }

        return folder;
    }

    /// <summary>An archive of <paramref name="folder"/>, with the folder as its top level or with the files loose.</summary>
    private string Archive(string folder, string fileName, bool includeFolder)
    {
        var archive = Path.Combine(_temp.File("archives"), Guid.NewGuid().ToString("N"), fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(archive)!);
        if (fileName.EndsWith(".zip", StringComparison.Ordinal))
        {
            ZipFile.CreateFromDirectory(folder, archive, CompressionLevel.Fastest, includeFolder);
            return archive;
        }

        using var file = File.Create(archive);
        using var output = fileName.EndsWith(".tar", StringComparison.Ordinal) ? (Stream)file : new GZipStream(file, CompressionLevel.Fastest);
        TarFile.CreateFromDirectory(folder, output, includeFolder);
        return archive;
    }

    private static void AssertInstalled(ModelStore store, string id, params string[] files)
    {
        var installed = store.FindInstalled(id);
        Assert.NotNull(installed);
        Assert.Equal(files.Order(StringComparer.Ordinal), installed.Model.Files.Select(file => file.Path).Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            Assert.True(File.ReadAllBytes(Sources[file]).AsSpan().SequenceEqual(File.ReadAllBytes(installed.PathOf(file))), $"{file} differs");
        }
    }

    private void AssertNothingInstalled(string id)
    {
        Assert.Null(_store.FindInstalled(id));
        var folder = _store.FolderOf(id);
        Assert.True(!Directory.Exists(folder) || Directory.GetFiles(folder).Length == 0, $"{folder} holds files after a refused import");
    }
}
