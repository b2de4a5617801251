using Hearsay.Core.Vad;
using Hearsay.Server.Endpoints.Realtime;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Server.Realtime;

/// <summary>The session's turn detection on the bundled Silero model and a real sentence: pauses, resumption and the stop.</summary>
public sealed class TurnDetectorTests
{
    private const int Rate = 16000;

    [Fact]
    public async Task Sentence_ThenSilence_PausedThenStoppedTheRestOfTheSilenceLater()
    {
        var sentence = await SoxAudio.ReadMono16kAsync(TestPaths.SharedFile("audio", "wav16k", "lj_LJ001-0002.wav"));

        var changes = Detect([.. sentence, .. Silence(Rate)]);

        Assert.Equal([TurnChange.Started, TurnChange.Paused, TurnChange.Stopped], changes.Select(c => c.Change));
        var paused = changes[1].At;
        var stopped = changes[2].At;
        // Paused after 200 ms of the 500 ms silence: the stop comes 300 ms later, give or take a 32 ms frame.
        Assert.InRange((stopped - paused) * 1000.0 / Rate, 300 - 32, 300 + 32);
        Assert.InRange(paused, sentence.Length - (Rate / 2), sentence.Length + (Rate / 2));
    }

    [Fact]
    public async Task PauseShorterThanTheSilenceDuration_ResumedAndOneTurn()
    {
        var sentence = await SoxAudio.ReadMono16kAsync(TestPaths.SharedFile("audio", "wav16k", "lj_LJ001-0002.wav"));

        var changes = Detect([.. sentence, .. Silence(Rate * 35 / 100), .. sentence, .. Silence(Rate)]);

        Assert.Equal(
            [TurnChange.Started, TurnChange.Paused, TurnChange.Resumed, TurnChange.Paused, TurnChange.Stopped],
            changes.Select(c => c.Change));
        Assert.True(changes[2].At > sentence.Length, "resumed with the second sentence");
    }

    private static List<(TurnChange Change, long At)> Detect(float[] audio)
    {
        using var model = SileroVadModel.LoadBundled();
        using var detector = new TurnDetector(model.CreateScorer(), TurnDetectionSettings.Default);
        var changes = new List<(TurnChange, long)>();
        // In blocks of 40 ms, as a microphone sends them.
        for (var offset = 0; offset < audio.Length; offset += 640)
        {
            detector.Push(audio.AsSpan(offset, Math.Min(640, audio.Length - offset)), (change, at) => changes.Add((change, at)));
        }

        return changes;
    }

    private static float[] Silence(int samples) => new float[samples];
}
