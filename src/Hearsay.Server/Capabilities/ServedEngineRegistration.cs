using Hearsay.Core.Models.Catalog;
using Hearsay.Core.Models.Store;
using Hearsay.Core.Stt;
using Hearsay.Core.Tts;
using Hearsay.Server.Concurrency;
using Hearsay.Server.Downloads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hearsay.Server.Capabilities;

/// <summary>Registers the two capabilities, their gates and the status hub; starts their first assessment.</summary>
internal static class ServedEngineRegistration
{
    public static IServiceCollection AddServedEngines(this IServiceCollection services)
    {
        services.AddSingleton<IEngineLoader<ISpeechToTextEngine>, WhisperEngineLoader>();
        services.AddSingleton<IEngineLoader<ITextToSpeechEngine>, PiperEngineLoader>();
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<HearsayServerOptions>();
            var capability = Create<ISpeechToTextEngine>(provider, new("stt", options.SttModel));
            return new ServedEngine<ISpeechToTextEngine>(capability, new EngineGate("speech-to-text", options.SttConcurrency, options.SttQueue), "Speech-to-text");
        });
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<HearsayServerOptions>();
            var capability = Create<ITextToSpeechEngine>(provider, new("tts", options.TtsVoice));
            return new ServedEngine<ITextToSpeechEngine>(capability, new EngineGate("text-to-speech", options.TtsConcurrency, options.TtsQueue), "Text-to-speech");
        });
        services.AddSingleton<ToolInventory>();
        services.AddSingleton(provider => new StatusHub(
            provider.GetRequiredService<ServedEngine<ISpeechToTextEngine>>().Capability,
            provider.GetRequiredService<ServedEngine<ITextToSpeechEngine>>().Capability,
            provider.GetRequiredService<ModelDownloads>(),
            provider.GetRequiredService<ToolInventory>()));
        return services;
    }

    /// <summary>Assesses both capabilities, which starts loading installed models in the background.</summary>
    public static void StartServedEngines(this IServiceProvider services)
    {
        // Creating the hub subscribes it before the first change.
        var hub = services.GetRequiredService<StatusHub>();
        hub.Stt.Refresh();
        hub.Tts.Refresh();
    }

    private static EngineCapability<TEngine> Create<TEngine>(IServiceProvider provider, EngineCapabilityOptions options)
        where TEngine : class, IDisposable => new(
        options,
        provider.GetRequiredService<IEngineLoader<TEngine>>(),
        provider.GetRequiredService<ModelCatalog>(),
        provider.GetRequiredService<ModelStore>(),
        provider.GetRequiredService<ModelDownloads>(),
        provider.GetRequiredService<ILoggerFactory>().CreateLogger("Hearsay.Server." + options.Name));
}
