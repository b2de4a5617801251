using Hearsay.Core.Onnx;
using Hearsay.Core.Stt;
using Hearsay.Core.Stt.Whisper;
using Microsoft.Extensions.Logging;

namespace Hearsay.Server.Capabilities;

/// <summary>Loads Whisper for the speech-to-text capability.</summary>
internal sealed class WhisperEngineLoader(HearsayServerOptions options, ILoggerFactory loggers) : IEngineLoader<ISpeechToTextEngine>
{
    // Without ffmpeg, ExternalProgram.InProcessAudioFormats still work: it is not a reason to call speech-to-text unavailable.
    public string? MissingDependency() => null;

    public async Task<ISpeechToTextEngine> LoadAsync(string path, CancellationToken cancellationToken) =>
        await WhisperSpeechToText.LoadAsync(path, new WhisperSessionOptions { Threads = EngineThreads.Of(options.Threads) }, loggers, cancellationToken);
}
