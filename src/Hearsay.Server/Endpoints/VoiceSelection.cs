using System.Globalization;
using Hearsay.Core.Tts.Piper;
using Hearsay.Server.Errors;

namespace Hearsay.Server.Endpoints;

/// <summary>
/// Turns the <c>voice</c> of a speech request into a speaker of the served voice. A server speaks with one voice, so
/// OpenAI's voice names all stand for it (spread over its speakers when it has several, so an app offering "alloy" and
/// "nova" still gets two different voices); the voice's own id and its speakers' names or ids work as themselves.
/// </summary>
internal static class VoiceSelection
{
    private const int SpeakersListed = 20;

    /// <summary>The speaker to synthesize with, or null for the voice's default speaker.</summary>
    /// <param name="requested">The checked <c>voice</c> of the request.</param>
    /// <param name="configuredVoice">The served voice as configured: a catalog id or a <c>.onnx</c> path.</param>
    /// <param name="config">The loaded voice's settings; null for an engine that has no speakers.</param>
    /// <exception cref="ApiException">400 naming <c>voice</c> and what it accepts.</exception>
    public static string? Resolve(string requested, string configuredVoice, PiperVoiceConfig? config)
    {
        var openAiIndex = IndexOf(ModelAliases.Voices, requested);
        if (openAiIndex >= 0)
        {
            // Stable: the same OpenAI name always reaches the same speaker of a given voice.
            return config is { IsMultiSpeaker: true }
                ? (openAiIndex % config.SpeakerCount).ToString(CultureInfo.InvariantCulture)
                : null;
        }

        if (Names(configuredVoice).Contains(requested, StringComparer.Ordinal))
        {
            return null;
        }

        if (config is { IsMultiSpeaker: true } && IsSpeaker(config, requested))
        {
            return requested;
        }

        throw ApiException.Invalid("voice", $"The voice '{requested}' is not served here. {Accepted(configuredVoice, config)}");
    }

    /// <summary>What the served voice answers to besides OpenAI's names: its id, or for a file its name without <c>.onnx</c>.</summary>
    private static string[] Names(string configuredVoice) =>
        configuredVoice.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)
            ? [configuredVoice, Path.GetFileNameWithoutExtension(configuredVoice)]
            : [configuredVoice];

    private static bool IsSpeaker(PiperVoiceConfig config, string requested) =>
        config.SpeakerIds.ContainsKey(requested)
        || (int.TryParse(requested, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id < config.SpeakerCount);

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

    private static string Accepted(string configuredVoice, PiperVoiceConfig? config)
    {
        var name = Names(configuredVoice)[^1];
        var accepted = $"This server speaks with '{name}': use an OpenAI voice name ({string.Join(", ", ModelAliases.Voices)}) or '{name}'";
        if (config is { IsMultiSpeaker: true })
        {
            accepted += $", or one of its {config.SpeakerCount} speakers: {Speakers(config)}";
        }

        return $"{accepted}. To speak with another voice, start the server with --tts and that voice's id.";
    }

    private static string Speakers(PiperVoiceConfig config)
    {
        if (config.SpeakerIds.Count == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"0 to {config.SpeakerCount - 1}");
        }

        var names = config.SpeakerIds.OrderBy(speaker => speaker.Value)
            .Select(speaker => string.Create(CultureInfo.InvariantCulture, $"{speaker.Key} ({speaker.Value})"))
            .ToList();
        var listed = string.Join(", ", names.Take(SpeakersListed));
        return names.Count > SpeakersListed
            ? string.Create(CultureInfo.InvariantCulture, $"{listed} and {names.Count - SpeakersListed} more (also by number)")
            : $"{listed} (by name or number)";
    }
}
