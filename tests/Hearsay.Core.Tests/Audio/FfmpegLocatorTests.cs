using Hearsay.Core.Audio.Input;
using Hearsay.Testing;

namespace Hearsay.Core.Tests.Audio;

/// <summary>ffmpeg is found by the same rules as espeak-ng (the shared search is covered by EspeakNgLocatorTests).</summary>
public sealed class FfmpegLocatorTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new();
    private readonly Dictionary<string, string?> _environment = [];

    public void Dispose() => _folder.Dispose();

    private FfmpegLocator CreateSut() => new(name => _environment.GetValueOrDefault(name), _folder.File("app"));

    private string CreateProgram(string folder)
    {
        var directory = Directory.CreateDirectory(_folder.File(folder)).FullName;
        var path = Path.Combine(directory, "ffmpeg");
        File.WriteAllText(path, "");
        return path;
    }

    [Fact]
    public void TryLocate_OnPath_FindsIt()
    {
        var program = CreateProgram("bin");
        _environment["PATH"] = Path.GetDirectoryName(program);

        Assert.True(CreateSut().TryLocate(null, out var found));
        Assert.Equal(program, found.ExecutablePath);
        Assert.Equal("PATH", found.Source);
    }

    [Fact]
    public void TryLocate_EnvironmentVariable_WinsOverPath()
    {
        _environment["PATH"] = Path.GetDirectoryName(CreateProgram("bin"));
        _environment["HEARSAY_FFMPEG"] = CreateProgram("custom");

        Assert.True(CreateSut().TryLocate(null, out var found));
        Assert.Equal("HEARSAY_FFMPEG", found.Source);
    }

    [Fact]
    public void TryLocate_Nowhere_ReturnsFalse()
    {
        _environment["PATH"] = _folder.File("empty");

        Assert.False(CreateSut().TryLocate(null, out var found));
        Assert.Null(found);
    }

    [Fact]
    public void TryLocate_ExplicitPathMissing_FailsInsteadOfFallingBack()
    {
        _environment["PATH"] = Path.GetDirectoryName(CreateProgram("bin"));
        var missing = _folder.File("nowhere/ffmpeg");

        var error = Assert.Throws<DependencyUnavailableException>(() => CreateSut().TryLocate(missing, out _));

        Assert.Equal("ffmpeg", error.Dependency);
        Assert.Contains($"the ffmpeg option names {missing}, which does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Locate_Nowhere_ListsEveryPlaceAndHowToInstall()
    {
        _environment["PATH"] = _folder.File("a");

        var error = Assert.Throws<DependencyUnavailableException>(() => CreateSut().Locate());

        Assert.Equal(HearsayErrorCode.DependencyMissing, error.Code);
        Assert.Equal([_folder.File("app/ffmpeg"), _folder.File("a/ffmpeg")], error.SearchedLocations);
        Assert.Contains("apt-get install ffmpeg", error.Message, StringComparison.Ordinal);
        Assert.Contains("HEARSAY_FFMPEG", error.Message, StringComparison.Ordinal);
    }
}
