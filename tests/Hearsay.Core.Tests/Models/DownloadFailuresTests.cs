using Hearsay.Core.Models.Download;

namespace Hearsay.Core.Tests.Models;

public class DownloadFailuresTests
{
    public static TheoryData<Exception, DownloadFailure> Failures => new()
    {
        { new OperationCanceledException(), DownloadFailure.Cancelled },
        { new ModelDownloadException(DownloadFailure.NotFound, "x: HTTP 404"), DownloadFailure.NotFound },
        { new HearsayException(HearsayErrorCode.DownloadFailed, "x"), DownloadFailure.ServerError },
        { new HearsayException(HearsayErrorCode.IntegrityCheckFailed, "x"), DownloadFailure.IntegrityCheckFailed },
        { new HearsayException(HearsayErrorCode.InsufficientStorage, "x"), DownloadFailure.DiskFull },
        { new HearsayException(HearsayErrorCode.StoreNotWritable, "x"), DownloadFailure.StoreNotWritable },
        { new HttpRequestException("Connection refused"), DownloadFailure.NoConnection },
        { new IOException("No space left on device", 28), DownloadFailure.DiskFull },
        { new UnauthorizedAccessException(), DownloadFailure.StoreNotWritable },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Classify_WhatAnInstallThrows_IsItsKind(Exception error, DownloadFailure expected) =>
        Assert.Equal(expected, DownloadFailures.Classify(error));

    [Fact]
    public void Classify_ABug_IsNotADownloadFailure()
    {
        Assert.Null(DownloadFailures.Classify(new InvalidOperationException()));
        Assert.Null(DownloadFailures.Classify(new HearsayException(HearsayErrorCode.InvalidInput, "built in")));
    }

    [Fact]
    public void Explain_EveryKind_SaysWhatHappenedAndWhatToDoWithoutTechnicalDetail()
    {
        foreach (var failure in Enum.GetValues<DownloadFailure>())
        {
            var text = DownloadFailures.Explain(failure);

            Assert.Matches(@"^[A-Z].*\.$", text);
            Assert.DoesNotMatch(@"https?:|HTTP \d|/v1/|Exception", text);
            Assert.Matches("(?i)try again|downloading again", text);
        }
    }

    [Fact]
    public void Describe_ARetry_SaysTheAttemptTheProblemAndTheWait() => Assert.Equal(
        "attempt 3 of 6 failed (the download server had a problem); trying again in 4 s",
        DownloadFailures.Describe(new ModelDownloadRetry(3, 6, TimeSpan.FromSeconds(4), DownloadFailure.ServerError, "x: HTTP 503")));
}
