using Hearsay.Core.Audio.Input;

namespace Hearsay.Benchmarks;

/// <summary>
/// What the dictation benchmark says into the microphone: real clips, each followed by a pause, then a long silence;
/// 16 kHz PCM16, with faint noise where nobody speaks, as a microphone has. Knows where each utterance's last voiced
/// sample is, which is where its latency is measured from.
/// </summary>
internal sealed class DictationScript
{
    public const int Rate = 16000;

    /// <summary>The noise floor of the pauses: about −66 dBFS, well below any speech.</summary>
    private const int NoiseAmplitude = 16;

    private DictationScript(short[] samples, IReadOnlyList<SpokenUtterance> utterances, int silenceStart)
    {
        Samples = samples;
        Utterances = utterances;
        SilenceStart = silenceStart;
    }

    public short[] Samples { get; }

    public IReadOnlyList<SpokenUtterance> Utterances { get; }

    /// <summary>Where the long silence after the last utterance begins.</summary>
    public int SilenceStart { get; }

    /// <summary>The clips in order, <paramref name="pause"/> after each, then <paramref name="silence"/>.</summary>
    public static async Task<DictationScript> BuildAsync(IReadOnlyList<string> clips, TimeSpan pause, TimeSpan silence)
    {
        var samples = new List<short>();
        var utterances = new List<SpokenUtterance>();
        var noise = new Random(7);
        AddNoise(samples, noise, Rate / 2);
        foreach (var clip in clips)
        {
            await using var reader = await AudioDecoder.OpenFileAsync(clip, new AudioInputOptions());
            var audio = await reader.ReadAllAsync(maxSamples: Rate * 60L);
            var start = samples.Count;
            samples.AddRange(audio.Select(x => (short)Math.Clamp(x * short.MaxValue, short.MinValue, short.MaxValue)));
            utterances.Add(new SpokenUtterance(Path.GetFileName(clip), start, start + LastVoiced(audio)));
            AddNoise(samples, noise, (int)(pause.TotalSeconds * Rate));
        }

        var silenceStart = samples.Count;
        AddNoise(samples, noise, (int)(silence.TotalSeconds * Rate));
        return new DictationScript([.. samples], utterances, silenceStart);
    }

    /// <summary>The last sample of the last 10 ms frame louder than −40 dBFS: the end of the speech in a clip.</summary>
    private static int LastVoiced(float[] audio)
    {
        const int frame = Rate / 100;
        for (var end = audio.Length; end >= frame; end -= frame)
        {
            var energy = 0.0;
            for (var i = end - frame; i < end; i++)
            {
                energy += audio[i] * audio[i];
            }

            if (Math.Sqrt(energy / frame) > 0.01)
            {
                return end - 1;
            }
        }

        throw new InvalidDataException("A clip without speech.");
    }

    private static void AddNoise(List<short> samples, Random noise, int count)
    {
        for (var i = 0; i < count; i++)
        {
            samples.Add((short)noise.Next(-NoiseAmplitude, NoiseAmplitude + 1));
        }
    }
}

/// <summary>One clip of the script: where it starts and its last voiced sample.</summary>
internal sealed record SpokenUtterance(string Clip, int Start, int LastVoiced);
