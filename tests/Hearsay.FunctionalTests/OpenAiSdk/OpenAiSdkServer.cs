using System.ClientModel;
using Hearsay.FunctionalTests.Server;
using OpenAI;
using OpenAI.Audio;

namespace Hearsay.FunctionalTests.OpenAiSdk;

/// <summary>One Hearsay server shared by the SDK tests, and the official SDK's clients pointed at it.</summary>
public sealed class OpenAiSdkServer : InstalledServer
{
    /// <summary>The SDK's client with only the endpoint and key changed, as an app switching from OpenAI would.</summary>
    public OpenAIClient Client(string? key = null) => new(
        new ApiKeyCredential(key ?? Server.Ready.Token),
        new OpenAIClientOptions { Endpoint = new Uri(Server.BaseUrl, "/v1"), NetworkTimeout = TimeSpan.FromSeconds(60) });

    public AudioClient Audio(string model, string? key = null) => Client(key).GetAudioClient(model);
}
