using Hearsay.Core.ExternalPrograms;
using Hearsay.Testing;

namespace Hearsay.Core.Tests.ExternalPrograms;

public sealed class ExternalToolsTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("eSpeak NG text-to-speech: 1.51  Data at: /usr/lib/x86_64-linux-gnu/espeak-ng-data\n", "1.51")]
    [InlineData("eSpeak NG text-to-speech: 1.52.0  Data at: C:\\Program Files\\eSpeak NG\\espeak-ng-data\r\n", "1.52.0")]
    [InlineData("ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024 the FFmpeg developers\nbuilt with gcc 12\n", "5.1.6-0+deb12u1")]
    [InlineData("ffmpeg version 7.1 Copyright (c) 2000-2024 the FFmpeg developers", "7.1")]
    public void ParseVersion_RealBanners_GivesTheVersionWord(string banner, string expected) =>
        Assert.Equal(expected, ExternalTools.ParseVersion(banner));

    [Theory]
    [InlineData("")]
    [InlineData("ffmpeg version N-unknown\n1.0 on the second line")]
    public void ParseVersion_NoVersionOnTheFirstLine_GivesNull(string banner) =>
        Assert.Null(ExternalTools.ParseVersion(banner));

    [Fact]
    public void All_ExplicitPathsThatDoNotExist_ReportsBothMissingWithThePathAndWhatToDo()
    {
        var nowhere = Path.Combine(Path.GetTempPath(), "hearsay-no-such-program-" + Guid.NewGuid().ToString("N"));

        var tools = new ExternalTools(nowhere, nowhere).All;

        Assert.Equal(["espeak-ng", "ffmpeg"], tools.Select(tool => tool.Name));
        Assert.All(tools, tool =>
        {
            Assert.False(tool.Found);
            Assert.Null(tool.ExecutablePath);
            Assert.Contains(nowhere, tool.Problem, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task WithVersionAsync_AProgramThatFails_IsMissingWithItsExitCode()
    {
        var tool = new ExternalTool(ExternalProgram.EspeakNg, "/bin/false", "the espeak-ng option", Version: null, Problem: null);

        var checkedTool = await ExternalTools.WithVersionAsync(tool);

        Assert.False(checkedTool.Found);
        Assert.Contains("exit code 1", checkedTool.Problem, StringComparison.Ordinal);
        Assert.Contains("text-to-speech is unavailable", checkedTool.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_ProgramInstalledAfterwards_IsFoundOnceTheFindingIsOlderThanTheRefreshInterval()
    {
        var time = new ManualTime();
        var onPath = Directory.CreateDirectory(_folder.File("bin")).FullName;
        var tools = new ExternalTools(null, null, program => new ProgramLocator(program, Environment(onPath), _folder.File("app")), time);
        var before = tools.Find(ExternalProgram.Ffmpeg);

        FakeProgram.Create(_folder, Path.Combine("bin", "ffmpeg"), "exit 0");
        var cached = tools.Find(ExternalProgram.Ffmpeg);
        time.Advance(ExternalTools.RefreshInterval);
        var after = tools.Find(ExternalProgram.Ffmpeg);

        Assert.False(before.Found);
        Assert.Contains("ffmpeg not found", before.Problem, StringComparison.Ordinal);
        // Looked at once per interval, not on every call.
        Assert.Equal(before, cached);
        Assert.True(after.Found);
        Assert.Equal(Path.Combine(onPath, "ffmpeg"), after.ExecutablePath);
        Assert.Equal("PATH", after.Source);
        Assert.False(tools.Find(ExternalProgram.EspeakNg).Found);
    }

    [Fact]
    public void Find_ProgramRemovedAfterwards_IsMissingOnceTheFindingIsOlderThanTheRefreshInterval()
    {
        var time = new ManualTime();
        var program = FakeProgram.Create(_folder, "espeak-ng", "exit 0");
        var tools = new ExternalTools(program, null, p => new ProgramLocator(p, Environment(null), _folder.File("app")), time);
        var before = tools.Find(ExternalProgram.EspeakNg);

        File.Delete(program);
        time.Advance(ExternalTools.RefreshInterval);
        var after = tools.Find(ExternalProgram.EspeakNg);

        Assert.Equal(program, before.ExecutablePath);
        Assert.Equal("the espeak-ng option", before.Source);
        Assert.False(after.Found);
        Assert.Contains($"the espeak-ng option names {program}, which does not exist", after.Problem, StringComparison.Ordinal);
    }

    /// <summary>An environment with only <c>PATH</c>, so the machine's own programs stay out of the test.</summary>
    private static Func<string, string?> Environment(string? path) => name => name == "PATH" ? path : null;

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
