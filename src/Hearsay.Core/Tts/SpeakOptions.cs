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
}
