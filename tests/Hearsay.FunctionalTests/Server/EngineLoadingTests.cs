using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Contracts.Status;
using Hearsay.Core.Stt;
using Hearsay.Server.Capabilities;
using Hearsay.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hearsay.FunctionalTests.Server;

/// <summary>How a capability's state follows its engine's load, with fake loaders in place of the real ones.</summary>
public sealed class EngineLoadingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>The tiny English Whisper model, served from its folder (no store, no download).</summary>
    private static string WhisperFolder => Path.GetDirectoryName(TestPaths.RepoAsset("whisper", "tiny-en", "tiny-en-encoder.onnx"))!;

    [Theory]
    [InlineData(typeof(IOException), "Input/output error", "could not be read")]
    [InlineData(typeof(UnauthorizedAccessException), "Access to the path '/models/tiny-en-decoder.onnx' is denied.", "could not be read")]
    [InlineData(typeof(InvalidDataException), "The file ends in the middle of a tensor.", "could not be loaded")]
    [InlineData(typeof(InvalidOperationException), "Something nobody expected.", "could not be loaded")]
    public async Task Load_LoaderThrowsAnyException_EndsInErrorWithTheReasonAndALogLine(Type exceptionType, string message, string plainWords)
    {
        var failure = (Exception)Activator.CreateInstance(exceptionType, message)!;
        using var logs = new CapturingLoggerFactory();
        await using var server = await StartAsync(services => services.AddSingleton<IEngineLoader<ISpeechToTextEngine>>(new FailingEngineLoader<ISpeechToTextEngine>(failure)), logs);

        var status = await server.WaitForStatusAsync(s => s.Stt.State != CapabilityState.Loading, "the load to end");
        // The reason quotes the exception's message inside its own sentence.
        var quoted = message.TrimEnd('.');
        using var response = await server.Http.PostAsync(HearsayRoutes.Transcriptions, Jfk());

        Assert.Equal(CapabilityState.Error, status.Stt.State);
        Assert.Contains(plainWords, status.Stt.Reason, StringComparison.Ordinal);
        Assert.Contains(quoted, status.Stt.Reason, StringComparison.Ordinal);
        var logged = Assert.Single(logs.Events, e => e.EventId == 2011);
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.Same(failure, logged.Exception);
        Assert.Contains(quoted, logged.Message, StringComparison.Ordinal);
        // Not worth retrying soon: someone has to act.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
        Assert.Contains(quoted, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_WhileTheLoaderWorks_IsLoadingWithRetryAfterThenReadyAndServes()
    {
        GatedEngineLoader<ISpeechToTextEngine>? gate = null;
        await using var server = await StartAsync(services => services.AddSingleton<IEngineLoader<ISpeechToTextEngine>>(provider =>
            gate = new GatedEngineLoader<ISpeechToTextEngine>(ActivatorUtilities.CreateInstance<WhisperEngineLoader>(provider))));
        await gate!.Entered.WaitAsync(Bound);

        var loading = await server.StatusAsync();
        using (var early = await server.Http.PostAsync(HearsayRoutes.Transcriptions, Jfk()))
        {
            Assert.Equal(CapabilityState.Loading, loading.Stt.State);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), early.Headers.RetryAfter?.Delta);
        }

        gate.Release();
        await server.WaitForStatusAsync(s => s.Stt.State == CapabilityState.Ready, "speech-to-text to be ready");
        using var served = await server.Http.PostAsync(HearsayRoutes.Transcriptions, Jfk());

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        using var json = JsonDocument.Parse(await served.Content.ReadAsStringAsync());
        Assert.NotEmpty(json.RootElement.GetProperty("text").GetString()!);
    }

    [Fact]
    public async Task Stop_WhileTheEngineLoads_WaitsForTheLoadAndDisposesWhatItMade()
    {
        // ONNX Runtime's exit handlers crash a load still running when the process exits (SIGSEGV on a stop during start-up).
        RecordingEngineLoader? recording = null;
        GatedEngineLoader<ISpeechToTextEngine>? gate = null;
        var server = await StartAsync(services => services.AddSingleton<IEngineLoader<ISpeechToTextEngine>>(provider =>
            gate = new GatedEngineLoader<ISpeechToTextEngine>(recording = new RecordingEngineLoader(ActivatorUtilities.CreateInstance<WhisperEngineLoader>(provider), FirstRunHold.None))));
        await gate!.Entered.WaitAsync(Bound);

        var stopping = server.DisposeAsync().AsTask();
        var stoppedWhileLoading = await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromMilliseconds(500))) == stopping;
        gate.Release();
        await stopping.WaitAsync(Bound);
        var engine = await recording!.Loaded.WaitAsync(Bound);

        Assert.False(stoppedWhileLoading, "the stop ended while the engine was still loading");
        Assert.Equal(["disposed"], engine.Events);
    }

    [Fact]
    public async Task Stop_WhileARunHoldsTheEngine_DisposesItOnlyAfterTheRun()
    {
        RecordingEngineLoader? recording = null;
        var server = await StartAsync(services => services.AddSingleton<IEngineLoader<ISpeechToTextEngine>>(provider =>
            recording = new RecordingEngineLoader(ActivatorUtilities.CreateInstance<WhisperEngineLoader>(provider), FirstRunHold.UntilReleased)));
        await server.WaitForStatusAsync(s => s.Stt.State == CapabilityState.Ready, "speech-to-text to be ready");
        var engine = await recording!.Loaded.WaitAsync(Bound);
        var run = server.Http.PostAsync(HearsayRoutes.Transcriptions, Jfk());
        await engine.RunEntered.WaitAsync(Bound);

        var stopping = server.DisposeAsync().AsTask();
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var disposedDuringTheRun = engine.Events.Contains("disposed");
        engine.ReleaseFirstRun();
        await stopping.WaitAsync(Bound);
        await Task.WhenAny(run, Task.Delay(Bound));

        Assert.False(disposedDuringTheRun, "the engine was disposed while a run held it");
        Assert.Equal(["run", "run ended", "disposed"], engine.Events);
    }

    private static Task<ServerUnderTest> StartAsync(Action<IServiceCollection> services, ILoggerProvider? logs = null) =>
        ServerUnderTest.StartAsync(install: false, configure: o => o with { SttModel = WhisperFolder, TtsVoice = "none" }, services, logs);

    private static MultipartFormDataContent Jfk()
    {
        var file = new ByteArrayContent(File.ReadAllBytes(TestPaths.SharedFile("audio", "wav16k", "jfk.wav")));
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        return new MultipartFormDataContent { { file, "file", "jfk.wav" }, { new StringContent("whisper-1"), "model" } };
    }
}
