using System.Collections.Frozen;
using System.Globalization;

namespace Hearsay.Core.Tts;

/// <summary>The speakers of a voice, and how a requested speaker (an id or a name) resolves to one of them.</summary>
public sealed class VoiceSpeakers
{
    private const int NamesListed = 20;

    /// <summary>Creates the description of a voice's speakers.</summary>
    /// <param name="count">How many speakers the voice has, at least 1.</param>
    /// <param name="names">Speaker names to ids below <paramref name="count"/>; may be empty.</param>
    public VoiceSpeakers(int count, IReadOnlyDictionary<string, int> names)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentNullException.ThrowIfNull(names);
        Count = count;
        Names = names.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>How many speakers the voice has; ids run from 0 to <c>Count - 1</c>.</summary>
    public int Count { get; }

    /// <summary>Speaker names to ids; empty when the speakers have no names.</summary>
    public IReadOnlyDictionary<string, int> Names { get; }

    /// <summary>True when the voice has more than one speaker (and its model takes a speaker id).</summary>
    public bool IsMultiSpeaker => Count > 1;

    /// <summary>Whether <paramref name="speaker"/> names a speaker of this multi-speaker voice, by name or id.</summary>
    public bool Contains(string speaker) => IsMultiSpeaker && (Names.ContainsKey(speaker) || TryParseId(speaker, out var id) && id < Count);

    /// <returns>The speaker id for multi-speaker voices (0 when none was asked for); null for single-speaker voices.</returns>
    /// <exception cref="HearsayException">The speaker does not exist in this voice.</exception>
    public int? Resolve(string? speaker)
    {
        if (string.IsNullOrWhiteSpace(speaker))
        {
            return IsMultiSpeaker ? 0 : null;
        }

        speaker = speaker.Trim();
        if (!IsMultiSpeaker)
        {
            throw Invalid($"Unknown speaker '{speaker}': this voice has a single speaker.");
        }

        if (TryParseId(speaker, out var id))
        {
            return id < Count
                ? id
                : throw Invalid(string.Create(CultureInfo.InvariantCulture, $"Unknown speaker {id}: this voice has speakers 0 to {Count - 1}."));
        }

        return Names.TryGetValue(speaker, out id) ? id : throw Invalid($"Unknown speaker '{speaker}'. This voice has: {Describe()}.");
    }

    /// <summary>The speakers for a message: the first 20 names with their ids, or the range of ids when they have no names.</summary>
    public string Describe()
    {
        if (Names.Count == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"speakers 0 to {Count - 1}");
        }

        var names = Names.OrderBy(p => p.Value).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} ({p.Value})")).ToList();
        var listed = string.Join(", ", names.Take(NamesListed));
        return names.Count > NamesListed
            ? string.Create(CultureInfo.InvariantCulture, $"{listed}, and {names.Count - NamesListed} more")
            : listed;
    }

    private static bool TryParseId(string speaker, out int id) =>
        int.TryParse(speaker, NumberStyles.None, CultureInfo.InvariantCulture, out id);

    private static HearsayException Invalid(string message) => new(HearsayErrorCode.InvalidInput, message) { OptionName = nameof(SpeakOptions.Speaker) };
}
