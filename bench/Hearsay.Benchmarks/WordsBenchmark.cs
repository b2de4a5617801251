using System.Diagnostics;
using System.Globalization;
using Hearsay.Core.Onnx;
using Hearsay.Core.Stt.Whisper;
using Hearsay.Core.Stt.Whisper.Features;
using Hearsay.Core.Stt.Whisper.Model;
using Hearsay.Core.Stt.Whisper.TextDecoders;
using Hearsay.Core.Stt.Whisper.Words;
using Hearsay.Testing;

namespace Hearsay.Benchmarks;

/// <summary>
/// What word timestamps cost on top of a transcription, with the transcribe benchmark's fixed workload: per 30 s window
/// the log-mel, one encoder run, the start sequence and 220 greedy steps with their exact log-probabilities (the
/// transcription), then the word alignment of those 220 tokens (the decoder pass over them with the alignment heads'
/// cross-attention, the matrix, DTW and the word rules). 220 text tokens are about twice what 30 s of speech holds, so
/// the share is an upper bound. The goal is at most 15 % of the transcription (issue 19).
/// </summary>
internal static class WordsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var model = TranscribeBenchmark.Option(args, "--model") ?? Path.Combine(TestPaths.RepoRoot, "bench", "models", "tiny.en");
        var precision = Enum.Parse<WhisperPrecision>(TranscribeBenchmark.Option(args, "--precision") ?? "Auto", ignoreCase: true);
        var threads = int.Parse(TranscribeBenchmark.Option(args, "--threads") ?? "2", CultureInfo.InvariantCulture);
        var rounds = int.Parse(TranscribeBenchmark.Option(args, "--rounds") ?? "3", CultureInfo.InvariantCulture);
        var clip = TranscribeBenchmark.Option(args, "--audio") ?? TestPaths.SharedFile("audio", "wav16k", "long_lj_LJ001-0001_to_0015.wav");

        using var engine = await WhisperSpeechToText.LoadAsync(
            model, new WhisperSessionOptions { Precision = precision, Threads = new EngineThreads { Count = threads }, Decoder = WhisperDecoderBackend.Hearsay });
        var info = engine.Info;
        Console.WriteLine(
            $"words: {info.ModelType} ({Path.GetFileName(engine.Files.DecoderPath)}), {threads} threads, {info.WordAlignmentHeads.Count} alignment heads, " +
            $"{TranscribeBenchmark.TokensPerWindow} tokens per window, {Path.GetFileName(clip)}");

        using var state = new WhisperDecoderState(engine.Model);
        var aligner = new WindowWordAligner(info, engine.Tokenizer);
        var spectrogram = new LogMelSpectrogram(info.MelCount);
        var samples = await TranscribeBenchmark.ReadClipAsync(clip);
        var contentFrames = WhisperAudio.ContentFrames(samples.Length);
        var logits = new float[info.VocabularySize];
        var (transcribeMs, wordsMs, windows, words) = (0.0, 0.0, 0, 0);
        // Round 0 warms up (tiered compilation) and is not counted.
        for (var round = 0; round <= rounds; round++)
        {
            for (long seek = 0; seek < contentFrames; seek += WhisperAudio.WindowFrames)
            {
                var frames = (int)Math.Min(WhisperAudio.WindowFrames, contentFrames - seek);
                var started = Stopwatch.GetTimestamp();
                spectrogram.ComputeWindow(samples, 0, seek, frames, state.Mel);
                state.Encode(CancellationToken.None);
                var decoder = state.TextDecoder;
                var tokens = new List<int>();
                var token = TranscribeBenchmark.Greedy(decoder, decoder.Start(info.SotSequence, info.SotIndex, [], CancellationToken.None), logits);
                for (var i = 0; i < TranscribeBenchmark.TokensPerWindow; i++)
                {
                    // Random weights pick special tokens too; as text, any token costs the same.
                    tokens.Add(token % info.Eot);
                    token = TranscribeBenchmark.Greedy(decoder, decoder.Step(token, CancellationToken.None), logits);
                }

                decoder.TakeLogSumExps();
                var decoded = Stopwatch.GetTimestamp();
                var aligned = aligner.Align((ICrossAttentionScores)decoder, info.SotSequence, tokens, frames, "en", CancellationToken.None);
                var done = Stopwatch.GetTimestamp();
                if (round > 0)
                {
                    transcribeMs += Stopwatch.GetElapsedTime(started, decoded).TotalMilliseconds;
                    wordsMs += Stopwatch.GetElapsedTime(decoded, done).TotalMilliseconds;
                    windows++;
                    words += aligned.Count;
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"transcription {transcribeMs / windows:0} ms/window, words {wordsMs / windows:0.0} ms/window ({words / windows} words) = " +
            $"{100 * wordsMs / transcribeMs:0.0} % of the transcription (goal <= 15 %), {windows} windows over {rounds} rounds"));
        return 0;
    }
}
