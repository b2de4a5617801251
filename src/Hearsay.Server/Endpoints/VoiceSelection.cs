using System.Globalization;
using Hearsay.Core.Tts;
using Hearsay.Server.Errors;

namespace Hearsay.Server.Endpoints;

/// <summary>
/// Turns the <c>voice</c> of a speech request into a speaker of the served voice. A server speaks with one voice, so
/// OpenAI's voice names all stand for it (spread over its speakers when it has several, so an app offering "alloy" and
/// "nova" still gets two different voices); the voice's own id and its speakers' names or ids work as themselves.
/// </summary>
internal static class VoiceSelection
{
    /// <summary>The speaker to synthesize with, or null for the voice's default speaker.</summary>
    /// <param name="requested">The checked <c>voice</c> of the request.</param>
    /// <param name="configuredVoice">The served voice as configured: a catalog id or a <c>.onnx</c> path.</param>
    /// <param name="speakers">The loaded voice's speakers.</param>
    /// <exception cref="ApiException">400 naming <c>voice</c> and what it accepts.</exception>
    public static string? Resolve(string requested, string configuredVoice, VoiceSpeakers speakers)
    {
        var openAiIndex = IndexOf(ModelAliases.Voices, requested);
        if (openAiIndex >= 0)
        {
            // Stable: the same OpenAI name always reaches the same speaker of a given voice.
            return speakers.IsMultiSpeaker ? (openAiIndex % speakers.Count).ToString(CultureInfo.InvariantCulture) : null;
        }

        if (Names(configuredVoice).Contains(requested, StringComparer.Ordinal))
        {
            return null;
        }

        // The engine resolves the speaker; asking it here only decides which message a client gets.
        if (speakers.Contains(requested))
        {
            return requested;
        }

        throw ApiException.Invalid("voice", $"The voice '{requested}' is not served here. {Accepted(configuredVoice, speakers)}");
    }

    /// <summary>What the served voice answers to besides OpenAI's names: its id, or for a file its name without <c>.onnx</c>.</summary>
    private static string[] Names(string configuredVoice) =>
        configuredVoice.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)
            ? [configuredVoice, Path.GetFileNameWithoutExtension(configuredVoice)]
            : [configuredVoice];

    private static int IndexOf(IReadOnlyList<string> names, string requested)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], requested, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Accepted(string configuredVoice, VoiceSpeakers speakers)
    {
        var name = Names(configuredVoice)[^1];
        var accepted = $"This server speaks with '{name}': use an OpenAI voice name ({string.Join(", ", ModelAliases.Voices)}) or '{name}'";
        if (speakers.IsMultiSpeaker)
        {
            accepted += string.Create(CultureInfo.InvariantCulture, $", or one of its {speakers.Count} speakers by name or number: {speakers.Describe()}");
        }

        return $"{accepted}. To speak with another voice, start the server with --tts and that voice's id.";
    }
}
