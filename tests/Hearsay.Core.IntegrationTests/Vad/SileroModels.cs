using System.Globalization;
using System.Text.RegularExpressions;
using Hearsay.Core.Vad;
using Hearsay.Testing;

namespace Hearsay.Core.IntegrationTests.Vad;

/// <summary>The three real Silero VAD models, loaded once and shared by the VAD test classes.</summary>
public sealed class SileroModels : IDisposable
{
    public const string Collection = "Silero VAD models";

    public static readonly string[] Versions = ["v4", "v5", "v6.2"];

    private readonly Dictionary<string, SileroVadModel> _models = new(StringComparer.Ordinal);

    public SileroModels()
    {
        foreach (var version in Versions)
        {
            _models[version] = SileroVadModel.Load(PathOf(version));
        }
    }

    public SileroVadModel this[string version] => _models[version];

    public static string PathOf(string version) => TestPaths.SharedFile("vad", $"silero_vad_{version}.onnx");

    /// <summary>One probability per 512-sample frame, the last frame zero-padded (Silero's <c>get_speech_timestamps</c>).</summary>
    public static float[] Probabilities(SileroVadModel model, ReadOnlySpan<float> samples)
    {
        using var scorer = model.CreateScorer();
        var frames = (samples.Length + SileroVadModel.FrameSize - 1) / SileroVadModel.FrameSize;
        var probabilities = new float[frames];
        var frame = new float[SileroVadModel.FrameSize];
        for (var i = 0; i < frames; i++)
        {
            var chunk = samples.Slice(i * SileroVadModel.FrameSize, Math.Min(SileroVadModel.FrameSize, samples.Length - (i * SileroVadModel.FrameSize)));
            Array.Clear(frame);
            chunk.CopyTo(frame);
            probabilities[i] = scorer.Process(frame);
        }

        return probabilities;
    }

    public void Dispose()
    {
        foreach (var model in _models.Values)
        {
            model.Dispose();
        }
    }
}

[CollectionDefinition(SileroModels.Collection)]
public sealed class SileroModelsDefinition : ICollectionFixture<SileroModels>;

/// <summary>The shared recordings the VAD is tested on.</summary>
public static partial class VadRecordings
{
    /// <summary>A 16 kHz recording from <c>audio/wav16k</c>.</summary>
    public static string Clip(string name) => TestPaths.SharedFile("audio", "wav16k", name);

    /// <summary>Every clip listed in <c>audio/transcripts.tsv</c> (all of <c>audio/wav16k</c>).</summary>
    public static IReadOnlyList<string> AllClips() =>
        [.. File.ReadAllLines(TestPaths.SharedFile("audio", "transcripts.tsv"))
            .Where(line => line.Length > 0)
            .Select(line => line.Split('\t')[0])];

    /// <summary>How many utterances <c>audio/metadata.tsv</c> says a joined clip is made of.</summary>
    public static int UtteranceCount(string clip)
    {
        var row = File.ReadAllLines(TestPaths.SharedFile("audio", "metadata.tsv")).Single(line => line.StartsWith(clip + "\t", StringComparison.Ordinal));
        var match = UtterancesNote().Match(row);
        Assert.True(match.Success, $"metadata.tsv does not say how many utterances {clip} joins: {row}");
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The 0.4 s silences inserted between the utterances of a joined clip, as [start, end) in samples. The LJ clip's
    /// come from its components' lengths (all in <c>audio/wav16k</c>): each gap follows the utterances before it.
    /// </summary>
    public static IReadOnlyList<(long Start, long End)> GapsFromComponents(IEnumerable<string> components)
    {
        const long Gap = 6400; // 0.4 s at 16 kHz
        var gaps = new List<(long, long)>();
        long position = 0;
        foreach (var component in components)
        {
            // Canonical s16le mono files: a 44-byte header, then 2 bytes per sample.
            position += (new FileInfo(Clip(component)).Length - 44) / 2;
            gaps.Add((position, position + Gap));
            position += Gap;
        }

        gaps.RemoveAt(gaps.Count - 1);
        return gaps;
    }

    /// <summary>
    /// The inserted silences found in the audio itself: runs of at least 0.375 s within ±2 LSB of zero (sox's dither
    /// on digital silence). Used for the Cathy clip, whose components are not among the shared clips; on the LJ clip
    /// this finds exactly the gaps its components' lengths give.
    /// </summary>
    public static IReadOnlyList<(long Start, long End)> GapsFromNearSilence(float[] samples)
    {
        const float Quiet = 2.5f / 32768;
        const int MinRun = 6000;
        var gaps = new List<(long, long)>();
        var start = -1;
        for (var i = 0; i <= samples.Length; i++)
        {
            if (i < samples.Length && MathF.Abs(samples[i]) <= Quiet)
            {
                start = start < 0 ? i : start;
                continue;
            }

            if (start >= 0 && i - start >= MinRun)
            {
                gaps.Add((start, i));
            }

            start = -1;
        }

        return gaps;
    }

    [GeneratedRegex(@"(\d+) real utterances")]
    private static partial Regex UtterancesNote();
}
