using System.Globalization;

namespace Hearsay.Core.Tts;

/// <summary>Per-request synthesis settings. Null properties mean "the voice's default".</summary>
public sealed record SpeakOptions
{
    /// <summary>The slowest accepted <see cref="Speed"/>.</summary>
    public const float MinSpeed = 0.25f;

    /// <summary>The fastest accepted <see cref="Speed"/>.</summary>
    public const float MaxSpeed = 4f;

    /// <summary>The longest accepted <see cref="SentenceSilence"/>.</summary>
    public static readonly TimeSpan MaxSentenceSilence = TimeSpan.FromSeconds(10);

    /// <summary>The largest accepted <see cref="NoiseScale"/> and <see cref="NoiseW"/>.</summary>
    public const float MaxNoise = 10f;

    /// <summary>Default settings.</summary>
    public static readonly SpeakOptions Default = new();

    /// <summary>Speaking rate from 0.25 to 4; Piper's length scale becomes the voice's length scale divided by it.</summary>
    /// <value>The default is 1.</value>
    public float Speed { get; init; } = 1f;

    /// <summary>For multi-speaker voices: a speaker id (<c>"3"</c>) or a name from the voice's speaker map.</summary>
    /// <value>The default, null, is speaker 0.</value>
    public string? Speaker { get; init; }

    /// <summary>Audio variation; 0 makes the output deterministic.</summary>
    /// <value>The default, null, is the voice's <c>inference.noise_scale</c>.</value>
    public float? NoiseScale { get; init; }

    /// <summary>Phoneme-duration variation; 0 makes durations deterministic.</summary>
    /// <value>The default, null, is the voice's <c>inference.noise_w</c>.</value>
    public float? NoiseW { get; init; }

    /// <summary>Silence between sentences, from 0 to 10 seconds (it starts every chunk but the first).</summary>
    /// <value>The default is none.</value>
    public TimeSpan SentenceSilence { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Checks every setting that does not depend on the voice (the speaker does: see <see cref="VoiceSpeakers"/>), so a
    /// server can refuse a request before it waits for an engine.
    /// </summary>
    /// <exception cref="HearsayException">
    /// <see cref="HearsayErrorCode.InvalidInput"/> naming the setting in <see cref="HearsayException.OptionName"/>.
    /// </exception>
    public void Validate()
    {
        if (!(Speed >= MinSpeed && Speed <= MaxSpeed))
        {
            throw Invalid(nameof(Speed), string.Create(CultureInfo.InvariantCulture, $"Speed {Speed} is out of range: use {MinSpeed} to {MaxSpeed}."));
        }

        if (SentenceSilence < TimeSpan.Zero || SentenceSilence > MaxSentenceSilence)
        {
            throw Invalid(
                nameof(SentenceSilence),
                string.Create(CultureInfo.InvariantCulture, $"Sentence silence {SentenceSilence.TotalSeconds} s is out of range: use 0 to {MaxSentenceSilence.TotalSeconds} s."));
        }

        CheckNoise(NoiseScale, nameof(NoiseScale), "Noise scale");
        CheckNoise(NoiseW, nameof(NoiseW), "Noise w");
    }

    private static void CheckNoise(float? value, string option, string name)
    {
        if (value is { } noise && !(noise >= 0 && noise <= MaxNoise))
        {
            throw Invalid(option, string.Create(CultureInfo.InvariantCulture, $"{name} {noise} is out of range: use 0 to {MaxNoise}."));
        }
    }

    private static HearsayException Invalid(string option, string message) =>
        new(HearsayErrorCode.InvalidInput, message) { OptionName = option };
}
