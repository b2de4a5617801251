namespace Hearsay.FunctionalTests.Cli;

public sealed class HelpTests
{
    [Theory]
    [InlineData(new[] { "--help" }, new[] { "speak", "phonemes", "--espeak-ng", "--verbose" })]
    [InlineData(new[] { "speak", "--help" }, new[] { "--voice", "--output", "--speed", "--speaker", "--noise-scale", "--noise-w", "--sentence-silence", "--format" })]
    [InlineData(new[] { "phonemes", "--help" }, new[] { "--voice", "--json" })]
    [InlineData(new[] { "serve", "--help" }, new[] { "--max-upload-mb", "--max-audio-duration", "2h, 90m, 45s or h:mm:ss" })]
    [InlineData(new[] { "transcribe", "--help" }, new[] { "--max-audio-duration", "2h, 90m, 45s or h:mm:ss" })]
    public async Task Help_EveryCommand_DescribesItsOptions(string[] arguments, string[] mentions)
    {
        var result = await HearsayCli.RunAsync(arguments);

        Assert.Equal(0, result.ExitCode);
        Assert.All(mentions, m => Assert.Contains(m, result.StdoutText, StringComparison.Ordinal));
    }
}
