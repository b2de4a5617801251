using System.Diagnostics;
using System.Globalization;
using Hearsay.Core;
using Hearsay.Core.Audio.Input;
using Hearsay.Testing;

namespace Hearsay.Benchmarks;

/// <summary>
/// What the maximum audio duration costs and saves (<see cref="AudioInputOptions.MaxDuration"/>, ADR 0004): the time
/// to refuse a 25 MiB WAV that decodes to 7 hours, and for an mp3 (through ffmpeg) the time to decode it without a
/// limit, with one it is within (the measuring pass, then the decode), and with one it passes (refused at open).
/// </summary>
internal static class AudioLimitBenchmark
{
    private static readonly TimeSpan ServerDefault = TimeSpan.FromHours(2);

    public static async Task<int> RunAsync(string[] args)
    {
        var minutes = ServeBenchmark.IntOption(args, "--minutes", 60);
        using var folder = new TemporaryDirectory();
        var ffmpeg = TestPaths.Program("ffmpeg", "Install ffmpeg (apt-get install ffmpeg).");

        var wav = folder.File("7h-1khz-8bit.wav");
        await using (var file = File.Create(wav))
        {
            await using var generated = new GeneratedWavStream(sampleRate: 1000, channels: 1, frames: 7 * 3600 * 1000, bytesPerSample: 1);
            await generated.CopyToAsync(file);
        }

        var refusal = await TimeAsync(wav, new AudioInputOptions { MaxDuration = ServerDefault });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"audio-limit: a {new FileInfo(wav).Length / 1e6:0.0} MB WAV of 7 h at 1 kHz, 8-bit, under the 2 h limit: {refusal.Outcome} in {refusal.Open.TotalMilliseconds:0} ms"));

        var mp3 = folder.File("speech.mp3");
        var encoding = ChildProcess.Start(ffmpeg, [
            "-nostdin", "-hide_banner", "-loglevel", "error", "-stream_loop", "-1", "-i", TestPaths.SharedFile("audio", "wav16k", "jfk.wav"),
            "-t", (minutes * 60).ToString(CultureInfo.InvariantCulture), "-c:a", "libmp3lame", "-b:a", "32k", mp3]);
        var encoded = await ChildProcess.CompleteAsync(encoding);
        if (encoded.ExitCode != 0)
        {
            Console.Error.WriteLine($"audio-limit: ffmpeg could not make the mp3: {encoded.Stderr}");
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"audio-limit: {minutes} min of 32 kbit/s mp3 ({new FileInfo(mp3).Length / 1e6:0.0} MB) through ffmpeg, decoded to 16 kHz"));
        Console.WriteLine($"{"limit",-22}{"open ms",10}{"read ms",10}{"total ms",10}  outcome");
        var half = TimeSpan.FromMinutes(minutes / 2.0);
        foreach (var (label, limit) in new (string, TimeSpan?)[] { ("none", null), ("2 h (within)", ServerDefault), ($"{half.TotalMinutes:0.#} min (passed)", half) })
        {
            var run = await TimeAsync(mp3, new AudioInputOptions { FfmpegPath = ffmpeg, MaxDuration = limit });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label,-22}{run.Open.TotalMilliseconds,10:0}{run.Read.TotalMilliseconds,10:0}{(run.Open + run.Read).TotalMilliseconds,10:0}  {run.Outcome}"));
        }

        return 0;
    }

    private static async Task<(TimeSpan Open, TimeSpan Read, string Outcome)> TimeAsync(string path, AudioInputOptions options)
    {
        var started = Stopwatch.GetTimestamp();
        MonoAudioReader reader;
        try
        {
            reader = await AudioDecoder.OpenFileAsync(path, options);
        }
        catch (HearsayException e) when (e.Code == HearsayErrorCode.AudioTooLong)
        {
            return (Stopwatch.GetElapsedTime(started), TimeSpan.Zero, "refused");
        }

        var open = Stopwatch.GetElapsedTime(started);
        await using (reader)
        {
            var block = new float[16384];
            long samples = 0;
            int read;
            while ((read = await reader.ReadAsync(block)) > 0)
            {
                samples += read;
            }

            return (open, Stopwatch.GetElapsedTime(started) - open, string.Create(CultureInfo.InvariantCulture, $"{samples / (double)reader.SampleRate:0} s decoded"));
        }
    }
}
