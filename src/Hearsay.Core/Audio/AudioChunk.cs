namespace Hearsay.Core.Audio;

/// <summary>
/// A piece of synthesized mono audio: one sentence, after the pause between sentences if one was asked for. A sentence
/// too long for one inference arrives as several chunks in a row, each with the sentence's index and text.
/// </summary>
/// <param name="Samples">Mono float samples in [-1, 1]. The chunk owns them; they are never pooled.</param>
/// <param name="SampleRate">Samples per second.</param>
/// <param name="Index">Zero-based position of the sentence in the text; the same for every chunk of one sentence.</param>
/// <param name="Text">The source text of the sentence.</param>
public sealed record AudioChunk(ReadOnlyMemory<float> Samples, int SampleRate, int Index, string Text)
{
    /// <summary>How long the chunk plays.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);
}
