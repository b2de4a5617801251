using Hearsay.Core;
using Hearsay.Core.ExternalPrograms;
using Hearsay.Core.Onnx;
using Hearsay.Core.Tts;
using Hearsay.Core.Tts.Piper;
using Microsoft.Extensions.Logging;

namespace Hearsay.Server.Capabilities;

/// <summary>Loads a Piper voice for the text-to-speech capability, which cannot work without espeak-ng.</summary>
internal sealed class PiperEngineLoader(HearsayServerOptions options, ExternalTools tools, ILoggerFactory loggers) : IEngineLoader<ITextToSpeechEngine>
{
    public string? MissingDependency() => tools.Find(ExternalProgram.EspeakNg).Problem;

    public async Task<ITextToSpeechEngine> LoadAsync(string path, CancellationToken cancellationToken)
    {
        // The copy the server's table found, so the voice does not search for it again.
        var espeakNg = tools.Find(ExternalProgram.EspeakNg);
        var executable = espeakNg.ExecutablePath ?? throw new DependencyUnavailableException(espeakNg.Name, espeakNg.Problem!, []);
        return await PiperTextToSpeech.LoadAsync(
            path, new PiperTextToSpeechOptions { Threads = EngineThreads.Of(options.Threads), Phonemizer = new() { EspeakNgPath = executable } }, loggers, cancellationToken);
    }
}
