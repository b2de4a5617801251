namespace Hearsay.Core.Tts.Piper;

/// <summary>The <c>scales</c> input of a Piper model.</summary>
/// <param name="NoiseScale">Variation in the generated audio; 0 makes the output deterministic.</param>
/// <param name="LengthScale">Phoneme duration multiplier; larger is slower.</param>
/// <param name="NoiseW">Variation in phoneme durations; 0 makes them deterministic.</param>
public readonly record struct PiperScales(float NoiseScale, float LengthScale, float NoiseW);
