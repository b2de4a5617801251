namespace Hearsay.Core.Tts.Piper;

/// <summary>
/// Turns the model's raw audio for the pieces of one sentence into chunks ready to play: Piper's peak normalization,
/// and short fades where the sentence was cut (ADR 0009).
/// </summary>
/// <remarks>
/// Piper scales each inference so that its peak is full scale (gain 1 / max(peak, 0.01)). A sentence in pieces is
/// streamed piece by piece, so its gain cannot wait for the last piece: each piece gets 1 / max(peak of the sentence so
/// far, 0.01). A sentence of one piece is exactly Piper's; in pieces no sample passes full scale, and the gain never
/// rises within a sentence. At a cut the piece before fades out and the piece after fades in (raised cosine over
/// <see cref="FadeSeconds"/>): two separate inferences do not meet at the same sample value, and an abrupt step
/// between them would click.
/// </remarks>
internal sealed class SentenceAudio(int sampleRate)
{
    /// <summary>How long the fades at a cut last.</summary>
    internal const double FadeSeconds = 0.01;

    /// <summary>Piper's largest gain: near-silence is raised at most 100 times.</summary>
    private const float MinPeak = 0.01f;

    private readonly int _fadeSamples = Math.Max(1, (int)Math.Round(FadeSeconds * sampleRate));
    private float _peak;

    /// <summary>
    /// The next piece of the sentence, for a chunk to own: <paramref name="audio"/> itself, scaled in place, or when
    /// there is a pause to put first, a new array.
    /// </summary>
    /// <param name="audio">The piece's raw audio from the model; the caller gives it up.</param>
    /// <param name="silenceSamples">Zeros before the audio: the pause before a sentence, on its first piece.</param>
    /// <param name="cutBefore">The sentence was cut just before this piece, which fades in.</param>
    /// <param name="cutAfter">The sentence was cut just after this piece, which fades out.</param>
    public float[] Next(float[] audio, int silenceSamples, bool cutBefore, bool cutAfter)
    {
        foreach (var sample in audio)
        {
            _peak = MathF.Max(_peak, MathF.Abs(sample));
        }

        var gain = 1f / MathF.Max(_peak, MinPeak);
        // A long text's audio passes through here piece after piece: no second copy unless the pause needs one.
        var result = silenceSamples == 0 ? audio : new float[silenceSamples + audio.Length];
        var output = result.AsSpan(silenceSamples);
        for (var i = 0; i < audio.Length; i++)
        {
            output[i] = audio[i] * gain;
        }

        // A piece shorter than two fades fades over half of itself each way, so the fades never overlap.
        var fade = Math.Min(_fadeSamples, audio.Length / 2);
        for (var i = 0; i < fade; i++)
        {
            var rising = 0.5f - (0.5f * MathF.Cos(MathF.PI * (i + 0.5f) / fade));
            if (cutBefore)
            {
                output[i] *= rising;
            }

            if (cutAfter)
            {
                output[audio.Length - 1 - i] *= rising;
            }
        }

        return result;
    }
}
