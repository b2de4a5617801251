using System.Globalization;
using Hearsay.Core.Audio.Input;
using Hearsay.Core.Stt;
using Hearsay.Core.Stt.Whisper;

namespace Hearsay.Benchmarks.Peers;

/// <summary>
/// The Hearsay side of the equal-work jfk.wav figure, a whole process as the CLI's <c>transcribe</c> is (its defaults:
/// the model's Auto precision, voice activity detection, here no fallback), except that each window samples at most
/// as many tokens as sherpa-onnx decoded on the same file. Random weights decide how long each decoder runs: Hearsay,
/// with timestamps, runs to its 224-token limit where sherpa-onnx, without, meets end-of-text after a few dozen.
/// Prints the number of text tokens in the segments.
/// </summary>
internal static class HearsayCappedTranscribe
{
    /// <summary>usage: peers-transcribe MODEL WAV MAX_TOKENS [--threads N]</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var (model, wav, maxTokens) = (args[0], args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
        using var engine = await WhisperSpeechToText.LoadAsync(model, new WhisperSessionOptions { Threads = BenchTable.Threads(args) });
        await using var audio = await AudioDecoder.OpenFileAsync(wav, new AudioInputOptions());
        var options = new TranscribeOptions { TemperatureFallback = false, MaxTokensPerWindow = maxTokens };
        var transcription = await engine.TranscribeAsync(audio, options);
        Console.WriteLine(transcription.Segments.Sum(segment => segment.Tokens.Count));
        return 0;
    }
}
