using Hearsay.Cli.PortablePhonemizer;
using Hearsay.Testing;

namespace Hearsay.Cli.Tests.PortablePhonemizer;

public sealed class CompiledModuleCacheTests
{
    [Fact]
    public void TryRead_WhatWasWritten_GivesItsBytes()
    {
        using var folder = new TemporaryDirectory();
        var cache = new CompiledModuleCache(folder.File("cache"), TimeProvider.System);

        cache.TryWrite("module-1", [1, 2, 3]);

        Assert.Equal([1, 2, 3], cache.TryRead("module-1"));
        Assert.Null(cache.TryRead("module-2"));
    }

    [Fact]
    public void TryRead_BytesChangedOnDisk_IsNull()
    {
        using var folder = new TemporaryDirectory();
        var cache = new CompiledModuleCache(folder.Path, TimeProvider.System);
        cache.TryWrite("module-1", [1, 2, 3]);

        File.WriteAllBytes(folder.File("module-1.cwasm"), [1, 2, 4]);

        Assert.Null(cache.TryRead("module-1"));
    }

    [Fact]
    public void TryWrite_MoreThanAreKept_RemovesTheLeastRecentlyUsedWithItsHash()
    {
        using var folder = new TemporaryDirectory();
        var cache = new CompiledModuleCache(folder.Path, TimeProvider.System);
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        string[] keys = ["a", "b", "c"];
        for (var i = 0; i < keys.Length; i++)
        {
            cache.TryWrite(keys[i], [(byte)i]);
            File.SetLastWriteTimeUtc(folder.File(keys[i] + ".cwasm"), now.AddHours(i - 3));
        }

        // "a", the oldest, is used again, so "b" is now the least recently used.
        Assert.NotNull(cache.TryRead("a"));
        cache.TryWrite("d", [9]);

        Assert.Equal(CompiledModuleCache.EntriesKept, Directory.GetFiles(folder.Path, "*.cwasm").Length);
        Assert.Null(cache.TryRead("b"));
        Assert.False(File.Exists(folder.File("b.cwasm.xxh128")));
        Assert.NotNull(cache.TryRead("a"));
        Assert.NotNull(cache.TryRead("c"));
        Assert.NotNull(cache.TryRead("d"));
    }

    [Fact]
    public void TryWrite_FolderThatCannotBeMade_LeavesTheCacheEmptyWithoutThrowing()
    {
        using var folder = new TemporaryDirectory();
        File.WriteAllText(folder.File("a-file"), "not a folder");
        var cache = new CompiledModuleCache(Path.Combine(folder.File("a-file"), "cache"), TimeProvider.System);

        cache.TryWrite("module-1", [1]);

        Assert.Null(cache.TryRead("module-1"));
    }
}
