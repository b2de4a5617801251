using System.Collections.Frozen;

namespace Hearsay.Core.Tts.Piper;

/// <summary>A Piper voice's settings, read from its <c>VOICE.onnx.json</c>.</summary>
public sealed record PiperVoiceConfig
{
    internal const float DefaultNoiseScale = 0.667f;
    internal const float DefaultLengthScale = 1f;
    internal const float DefaultNoiseW = 0.8f;

    /// <summary>Output sample rate (<c>audio.sample_rate</c>).</summary>
    public required int SampleRate { get; init; }

    /// <summary>The espeak-ng voice used to phonemize (<c>espeak.voice</c>), e.g. <c>en-us</c>.</summary>
    public required string EspeakVoice { get; init; }

    /// <summary>Phoneme (one Unicode code point) to model input ids (<c>phoneme_id_map</c>).</summary>
    public required FrozenDictionary<int, long[]> PhonemeIdMap { get; init; }

    /// <summary>Default noise scale (<c>inference.noise_scale</c>).</summary>
    /// <value>The default, when the file has none, is 0.667.</value>
    public float NoiseScale { get; init; } = DefaultNoiseScale;

    /// <summary>Default length scale (<c>inference.length_scale</c>); larger is slower.</summary>
    /// <value>The default, when the file has none, is 1.0.</value>
    public float LengthScale { get; init; } = DefaultLengthScale;

    /// <summary>Default phoneme-duration noise (<c>inference.noise_w</c>).</summary>
    /// <value>The default, when the file has none, is 0.8.</value>
    public float NoiseW { get; init; } = DefaultNoiseW;

    /// <summary>Number of speakers (<c>num_speakers</c>); above 1 the model takes a speaker id.</summary>
    /// <value>The default, when the file has none, is 1.</value>
    public int SpeakerCount { get; init; } = 1;

    /// <summary>Speaker name to speaker id (<c>speaker_id_map</c>); empty for single-speaker voices.</summary>
    public FrozenDictionary<string, int> SpeakerIds { get; init; } = FrozenDictionary<string, int>.Empty;

    /// <summary>Language code (<c>language.code</c>), e.g. <c>en_US</c>, when the file gives one.</summary>
    public string? LanguageCode { get; init; }

    /// <summary>Quality tier (<c>audio.quality</c>), e.g. <c>medium</c>, when the file gives one.</summary>
    public string? Quality { get; init; }

    /// <summary>True when the model takes a speaker id.</summary>
    public bool IsMultiSpeaker => SpeakerCount > 1;

    /// <summary>Reads and validates a voice configuration file.</summary>
    /// <exception cref="ModelLoadException">The file is missing, unreadable, not JSON, or lacks a required setting.</exception>
    public static PiperVoiceConfig Load(string path) => PiperVoiceConfigReader.Load(path);

    /// <summary>Parses and validates a voice configuration; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="ModelLoadException">The JSON is invalid or lacks a required setting.</exception>
    public static PiperVoiceConfig Parse(string json, string sourceName) => PiperVoiceConfigReader.Parse(json, sourceName);
}
