using Hearsay.Core.ExternalPrograms;

namespace Hearsay.Core.Tests.ExternalPrograms;

public class ExternalToolsTests
{
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
    public void Find_ExplicitPathsThatDoNotExist_ReportsBothMissingWithThePathAndWhatToDo()
    {
        var nowhere = Path.Combine(Path.GetTempPath(), "hearsay-no-such-program-" + Guid.NewGuid().ToString("N"));

        var tools = ExternalTools.Find(nowhere, nowhere);

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
        var tool = new ExternalTool("espeak-ng", ExternalTools.EspeakNgUse, "/bin/false", "the espeak-ng option", Version: null, Problem: null);

        var checkedTool = await ExternalTools.WithVersionAsync(tool);

        Assert.False(checkedTool.Found);
        Assert.Contains("exit code 1", checkedTool.Problem, StringComparison.Ordinal);
        Assert.Contains("text-to-speech is unavailable", checkedTool.Problem, StringComparison.Ordinal);
    }
}
