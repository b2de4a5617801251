namespace Hearsay.Core.Tts.Phonemization;

/// <summary>What espeak-ng writes with <c>--ipa</c>: one line of phonemes per clause.</summary>
internal static class EspeakNgOutput
{
    /// <summary>The output's lines, without a last empty one after the final newline.</summary>
    public static string[] Lines(string output)
    {
        var lines = output.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return output.EndsWith('\n') ? lines[..^1] : lines;
    }
}
