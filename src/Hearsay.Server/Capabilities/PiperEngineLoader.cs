using Hearsay.Core;
using Hearsay.Core.Tts;
using Hearsay.Core.Tts.Phonemization;
using Hearsay.Core.Tts.Piper;
using Microsoft.Extensions.Logging;

namespace Hearsay.Server.Capabilities;

/// <summary>Loads a Piper voice for the text-to-speech capability, which cannot work without espeak-ng.</summary>
internal sealed class PiperEngineLoader(HearsayServerOptions options, ILoggerFactory loggers) : IEngineLoader<ITextToSpeechEngine>
{
    public string? MissingDependency()
    {
        try
        {
            new EspeakNgLocator().Locate(options.EspeakNgPath);
            return null;
        }
        catch (DependencyUnavailableException e)
        {
            return e.Message;
        }
    }

    public async Task<ITextToSpeechEngine> LoadAsync(string path, CancellationToken cancellationToken) =>
        await PiperTextToSpeech.LoadAsync(
            path, new PiperTextToSpeechOptions { Phonemizer = new() { EspeakNgPath = options.EspeakNgPath } }, loggers, cancellationToken);
}
