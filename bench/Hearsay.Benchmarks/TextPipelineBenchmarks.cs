using BenchmarkDotNet.Attributes;
using Hearsay.Core.Audio;
using Hearsay.Core.Tts.Phonemization;
using Hearsay.Core.Tts.Piper;
using Hearsay.Testing;

namespace Hearsay.Benchmarks;

/// <summary>
/// Hearsay's in-process work per text, without espeak-ng or ONNX Runtime: clause splitting, Piper's sentence
/// assembly (NFD included), id mapping, and PCM conversion of one second of audio. Compare ratios, not times.
/// </summary>
[MemoryDiagnoser]
public class TextPipelineBenchmarks
{
    private const string Text =
        "The quick brown fox jumps over the lazy dog. Hearsay speaks each sentence as soon as it is ready, so " +
        "playback can start early. Is the first chunk out before the second sentence starts? It should be, by " +
        "design! Five sentences, with numbers like 42 and 3.14, make a fair test.";

    private static readonly string[] ClausePhonemes =
    [
        "ðə kwˈɪk bɹˈaʊn fˈɑːks dʒˈʌmps ˌoʊvɚ ðə lˈeɪzi dˈɑːɡ", "hˈɪɹseɪ spˈiːks ˈiːtʃ sˈɛntəns æz sˈuːn æz ɪt ɪz ɹˈɛdi",
        "sˌoʊ plˈeɪbæk kæn stˈɑːɹt ˈɜːli", "ɪz ðə fˈɜːst tʃˈʌŋk ˈaʊt bɪfˌoːɹ ðə sˈɛkənd sˈɛntəns stˈɑːɹts",
        "ɪt ʃˌʊd bˈiː", "baɪ dɪzˈaɪn", "fˈaɪv sˈɛntənsᵻz", "wɪð nˈʌmbɚz lˈaɪk fˈoːɹɾi tˈuː ænd θɹˈiː pɔɪnt wˈʌn fˈoːɹ",
        "mˌeɪk ɐ fˈɛɹ tˈɛst",
    ];

    private readonly float[] _oneSecond = Enumerable.Range(0, 22050).Select(i => MathF.Sin(i * 0.05f) * 0.8f).ToArray();
    private readonly byte[] _pcm = new byte[22050 * 2];
    private PiperVoiceConfig _config = null!;
    private IReadOnlyList<Clause> _clauses = null!;

    [GlobalSetup]
    public void Setup()
    {
        _config = PiperVoiceConfig.Load(PiperExpectations.SingleSpeakerVoice + ".json");
        _clauses = ClauseSplitter.Split(Text);
        if (_clauses.Count != ClausePhonemes.Length)
        {
            throw new InvalidOperationException($"Expected {ClausePhonemes.Length} clauses, found {_clauses.Count}.");
        }
    }

    [Benchmark(Baseline = true)]
    public int SplitClauses() => ClauseSplitter.Split(Text).Count;

    [Benchmark]
    public int AssembleAndMapIds()
    {
        var count = 0;
        foreach (var sentence in PiperSentenceAssembler.Assemble(_clauses, ClausePhonemes))
        {
            count += PiperPhonemeIds.Map(sentence.Phonemes, _config.PhonemeIdMap).Length;
        }

        return count;
    }

    [Benchmark]
    public byte[] ConvertOneSecondToPcm16()
    {
        Pcm16.Write(_oneSecond, _pcm);
        return _pcm;
    }

    [Benchmark]
    public float[] NormalizeOneSecond() => new SentenceAudio(22050).Next(_oneSecond, 0, cutBefore: false, cutAfter: false);
}
