using System.Globalization;

namespace Hearsay.Core.Tts.Piper;

/// <summary>Resolves a requested speaker (an id or a name) against a voice's speakers.</summary>
internal static class PiperSpeakers
{
    private const int NamesListed = 20;

    /// <returns>The speaker id for multi-speaker voices (0 when none was asked for); null for single-speaker voices.</returns>
    /// <exception cref="HearsayException">The speaker does not exist in this voice.</exception>
    public static int? Resolve(PiperVoiceConfig config, string? speaker)
    {
        if (string.IsNullOrWhiteSpace(speaker))
        {
            return config.IsMultiSpeaker ? 0 : null;
        }

        speaker = speaker.Trim();
        if (!config.IsMultiSpeaker)
        {
            throw Invalid($"Unknown speaker '{speaker}': this voice has a single speaker.");
        }

        if (int.TryParse(speaker, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return id < config.SpeakerCount
                ? id
                : throw Invalid($"Unknown speaker {id}: this voice has speakers 0 to {config.SpeakerCount - 1}.");
        }

        if (config.SpeakerIds.TryGetValue(speaker, out id))
        {
            return id;
        }

        throw Invalid($"Unknown speaker '{speaker}'. {DescribeSpeakers(config)}");
    }

    private static string DescribeSpeakers(PiperVoiceConfig config)
    {
        if (config.SpeakerIds.Count == 0)
        {
            return $"This voice has speakers 0 to {config.SpeakerCount - 1}, without names.";
        }

        var names = config.SpeakerIds.OrderBy(p => p.Value).Select(p => $"{p.Key} ({p.Value})").ToList();
        var listed = string.Join(", ", names.Take(NamesListed));
        return names.Count > NamesListed
            ? $"This voice has {names.Count} speakers: {listed}, and {names.Count - NamesListed} more."
            : $"This voice has: {listed}.";
    }

    private static HearsayException Invalid(string message) => new(HearsayErrorCode.InvalidInput, message);
}
