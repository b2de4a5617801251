using Hearsay.Core.Models.Download;

namespace Hearsay.Cli.Tests;

public class DownloadProgressViewTests
{
    private static readonly ModelDownloadProgress Retrying = new("test-voice", ModelDownloadPhase.Retrying, 250_000, 1_000_000, 0, "voice.onnx")
    {
        Retry = new ModelDownloadRetry(2, 6, TimeSpan.FromSeconds(2), DownloadFailure.NoConnection, "http://host/voice.onnx: Connection refused"),
    };

    [Fact]
    public void Report_RetryOnATerminal_RedrawsTheBarWithTheAttemptAndTheWait()
    {
        using var error = new StringWriter();
        var view = new DownloadProgressView(error, terminal: true, TimeProvider.System);

        view.Report(Retrying);

        Assert.Equal(
            "\rtest-voice [######..................]  25% 250 kB / 1.0 MB  attempt 2 of 6 failed (could not reach the download server); trying again in 2 s\u001b[K",
            error.ToString());
    }

    [Fact]
    public void Report_RetriesInARowInALog_GetALineEach()
    {
        using var error = new StringWriter();
        var view = new DownloadProgressView(error, terminal: false, TimeProvider.System);

        view.Report(Retrying);
        view.Report(Retrying with { Retry = Retrying.Retry! with { FailedAttempts = 3, Wait = TimeSpan.FromSeconds(4) } });

        Assert.Equal(
            [
                "test-voice: 25% (250 kB / 1.0 MB), attempt 2 of 6 failed (could not reach the download server); trying again in 2 s",
                "test-voice: 25% (250 kB / 1.0 MB), attempt 3 of 6 failed (could not reach the download server); trying again in 4 s",
            ],
            error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
