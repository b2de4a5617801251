using Hearsay.Core.Tts.Phonemization;
using Hearsay.Testing;

namespace Hearsay.Core.Tests.Tts.Phonemization;

public sealed class EspeakNgLocatorTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new();
    private readonly Dictionary<string, string?> _environment = [];

    public void Dispose() => _folder.Dispose();

    private EspeakNgLocator CreateSut(string? applicationDirectory = null) =>
        new(name => _environment.GetValueOrDefault(name), applicationDirectory ?? _folder.File("app"));

    private string CreateProgram(string folder)
    {
        var directory = Directory.CreateDirectory(_folder.File(folder)).FullName;
        var path = Path.Combine(directory, "espeak-ng");
        File.WriteAllText(path, "");
        return path;
    }

    [Fact]
    public void Locate_ExplicitPath_WinsOverEverythingElse()
    {
        var explicitProgram = CreateProgram("explicit");
        _environment["HEARSAY_ESPEAK_NG"] = CreateProgram("from-env");
        _environment["PATH"] = Path.GetDirectoryName(CreateProgram("on-path"));

        var found = CreateSut().Locate(explicitProgram);

        Assert.Equal(explicitProgram, found.ExecutablePath);
    }

    [Fact]
    public void Locate_ExplicitFolder_FindsProgramInside()
    {
        var program = CreateProgram("bundle");

        Assert.Equal(program, CreateSut().Locate(Path.GetDirectoryName(program)).ExecutablePath);
    }

    [Fact]
    public void Locate_EnvironmentVariable_WinsOverBinaryFolderAndPath()
    {
        var fromEnvironment = CreateProgram("from-env");
        _environment["HEARSAY_ESPEAK_NG"] = fromEnvironment;
        CreateProgram("app");

        var found = CreateSut().Locate();

        Assert.Equal(fromEnvironment, found.ExecutablePath);
        Assert.Equal("HEARSAY_ESPEAK_NG", found.Source);
    }

    [Fact]
    public void Locate_NextToBinary_WinsOverPath()
    {
        var beside = CreateProgram("app");
        _environment["PATH"] = Path.GetDirectoryName(CreateProgram("on-path"));

        var found = CreateSut().Locate();

        Assert.Equal(beside, found.ExecutablePath);
        Assert.Equal("next to hearsay", found.Source);
    }

    [Fact]
    public void Locate_OnPath_ReturnsFirstMatchInPathOrder()
    {
        var first = CreateProgram("first");
        CreateProgram("second");
        _environment["PATH"] = string.Join(Path.PathSeparator, _folder.File("empty"), Path.GetDirectoryName(first), _folder.File("second"));

        var found = CreateSut().Locate();

        Assert.Equal(first, found.ExecutablePath);
        Assert.Null(found.DataDirectory);
    }

    [Fact]
    public void Locate_BundledDataBesideProgram_IsPassedAsDataDirectory()
    {
        var program = CreateProgram("bundle");
        Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(program)!, "espeak-ng-data"));

        Assert.Equal(Path.GetDirectoryName(program), CreateSut().Locate(program).DataDirectory);
    }

    [Fact]
    public void Locate_Nowhere_SaysTtsUnavailableAndListsEveryPlace()
    {
        _environment["PATH"] = string.Join(Path.PathSeparator, _folder.File("a"), _folder.File("b"));

        var error = Assert.Throws<DependencyUnavailableException>(() => CreateSut().Locate());

        Assert.Equal(HearsayErrorCode.DependencyMissing, error.Code);
        Assert.Equal("espeak-ng", error.Dependency);
        Assert.Equal(
            [_folder.File("app/espeak-ng-portable/espeak-ng.wasm"), _folder.File("app/espeak-ng"), _folder.File("a/espeak-ng"), _folder.File("b/espeak-ng")],
            error.SearchedLocations);
        Assert.StartsWith(
            $"TTS unavailable: espeak-ng not found (looked in {_folder.File("app/espeak-ng-portable/espeak-ng.wasm")}, {_folder.File("app/espeak-ng")}, " +
            $"{_folder.File("a/espeak-ng")}, {_folder.File("b/espeak-ng")}).",
            error.Message,
            StringComparison.Ordinal);
        Assert.Contains("apt-get install espeak-ng", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Locate_ExplicitPathMissing_FailsInsteadOfFallingBack()
    {
        _environment["PATH"] = Path.GetDirectoryName(CreateProgram("on-path"));
        var missing = _folder.File("nowhere/espeak-ng");

        var error = Assert.Throws<DependencyUnavailableException>(() => CreateSut().Locate(missing));

        Assert.Contains($"the espeak-ng option names {missing}, which does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Locate_EnvironmentVariableMissing_NamesTheVariable()
    {
        _environment["HEARSAY_ESPEAK_NG"] = _folder.File("gone");

        var error = Assert.Throws<DependencyUnavailableException>(() => CreateSut().Locate());

        Assert.Contains($"HEARSAY_ESPEAK_NG names {_folder.File("gone")}, which does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Locate_PortablePhonemizerBesideBinary_WinsOverTheNativeProgramBesideItAndPath()
    {
        var module = CreatePortableBundle();
        CreateProgram("app");
        _environment["PATH"] = Path.GetDirectoryName(CreateProgram("on-path"));

        var found = CreateSut().Locate();

        Assert.Equal(new EspeakNgProgram(module, Path.GetDirectoryName(module), "bundled beside hearsay", PhonemizerKind.Portable), found);
    }

    [Fact]
    public void Locate_EnvironmentVariable_WinsOverThePortablePhonemizer()
    {
        CreatePortableBundle();
        var fromEnvironment = CreateProgram("from-env");
        _environment["HEARSAY_ESPEAK_NG"] = fromEnvironment;

        var found = CreateSut().Locate();

        Assert.Equal(fromEnvironment, found.ExecutablePath);
        Assert.Equal(PhonemizerKind.Native, found.Kind);
    }

    [Fact]
    public void Locate_NativeForced_SkipsThePortablePhonemizer()
    {
        CreatePortableBundle();
        var onPath = CreateProgram("on-path");
        _environment["PATH"] = Path.GetDirectoryName(onPath);

        var found = CreateSut().Locate(kind: PhonemizerKind.Native);

        Assert.Equal(onPath, found.ExecutablePath);
        Assert.Equal(PhonemizerKind.Native, found.Kind);
    }

    [Fact]
    public void Locate_PortableForced_IgnoresNativeProgramsEverywhere()
    {
        _environment["HEARSAY_ESPEAK_NG"] = CreateProgram("from-env");
        _environment["PATH"] = Path.GetDirectoryName(CreateProgram("on-path"));
        CreateProgram("app");

        var error = Assert.Throws<DependencyUnavailableException>(() => CreateSut().Locate(kind: PhonemizerKind.Portable));
        var module = CreatePortableBundle();
        var found = CreateSut().Locate(kind: PhonemizerKind.Portable);

        Assert.Equal([_folder.File("app/espeak-ng-portable/espeak-ng.wasm")], error.SearchedLocations);
        Assert.Equal(module, found.ExecutablePath);
        Assert.Equal(PhonemizerKind.Portable, found.Kind);
    }

    /// <summary>The portable phonemizer's files beside the binary (empty: the locator only looks).</summary>
    private string CreatePortableBundle()
    {
        var directory = Directory.CreateDirectory(_folder.File("app/espeak-ng-portable/espeak-ng-data")).Parent!.FullName;
        var module = Path.Combine(directory, "espeak-ng.wasm");
        File.WriteAllText(module, "");
        return module;
    }
}
