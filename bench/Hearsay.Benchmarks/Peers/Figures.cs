namespace Hearsay.Benchmarks.Peers;

/// <summary>The rows of the table, by what they measure.</summary>
internal sealed record Figures(
    PeerTable.Figure EncoderWhisperCpp,
    PeerTable.Figure EncoderOrt,
    PeerTable.Figure Step,
    PeerTable.Figure StepWithProbabilities,
    PeerTable.Figure FixedWorkload,
    PeerTable.Figure PeakRss,
    PeerTable.Figure ServeIdle,
    PeerTable.Figure ServeAfter,
    PeerTable.Figure WholeJfk,
    PeerTable.Figure WholeJfkSameTokens,
    PeerTable.Figure SpeakTotal,
    PeerTable.Figure SpeakFirst)
{
    /// <summary>Marks the figures whose peer cannot run, with what is missing.</summary>
    public void NoteMissing(List<string> whisperCpp, List<string> sherpaOnnx)
    {
        Note([EncoderWhisperCpp, Step, StepWithProbabilities, FixedWorkload, PeakRss], "whisper.cpp", whisperCpp);
        Note([WholeJfk, WholeJfkSameTokens, SpeakTotal, SpeakFirst], "sherpa-onnx", sherpaOnnx);
    }

    private static void Note(PeerTable.Figure[] figures, string peer, List<string> missing)
    {
        if (missing.Count == 0)
        {
            return;
        }

        foreach (var figure in figures)
        {
            figure.Missing.Add($"{peer} side: missing {string.Join(", ", missing)}");
        }
    }
}
