using Hearsay.Core.Models.Store;
using Hearsay.Testing;

namespace Hearsay.Core.IntegrationTests.Models;

/// <summary>What asking the store about models it does not hold leaves on disk: nothing.</summary>
public sealed class ModelStoreTests : IDisposable
{
    private const int Ids = 50;

    private readonly TemporaryDirectory _temp = new();
    private readonly ModelStore _store;

    public ModelStoreTests() => _store = new ModelStore(_temp.File("store"));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RemoveAsync_ManyIdsNotInTheStore_CreatesNoFile()
    {
        Directory.CreateDirectory(_store.Root);

        for (var i = 0; i < Ids; i++)
        {
            Assert.False(await _store.RemoveAsync($"no-such-model-{i}"));
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(_store.Root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ExportAsync_ManyIdsNotInstalled_CreatesNoFileInTheStore()
    {
        Directory.CreateDirectory(_store.Root);

        for (var i = 0; i < Ids; i++)
        {
            var error = await Assert.ThrowsAsync<HearsayException>(() => ModelTransfer.ExportAsync(_store, $"no-such-model-{i}", _temp.File("out")));
            Assert.Equal(HearsayErrorCode.ModelNotFound, error.Code);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(_store.Root, "*", SearchOption.AllDirectories));
    }
}
