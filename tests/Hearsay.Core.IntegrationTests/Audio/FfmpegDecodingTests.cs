using System.Diagnostics;
using System.Globalization;
using Hearsay.Core.Audio.Input;
using Hearsay.Testing;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Hearsay.Core.IntegrationTests.Audio;

/// <summary>Formats other than WAV through the real ffmpeg, and a fake one that misbehaves.</summary>
public sealed class FfmpegDecodingTests(ITestOutputHelper output) : IDisposable
{
    private const string Clip48k = "cathy_arctic_a0038.wav";
    private const string InstallHint = "Install ffmpeg (apt-get install ffmpeg).";

    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string Ffmpeg => TestPaths.Program("ffmpeg", InstallHint);

    private static AudioInputOptions Options => new() { FfmpegPath = Ffmpeg };

    /// <summary>
    /// Lossless audio that only ffmpeg reads (FLAC and MP3 are decoded in-process): ALAC in M4A, its index first so
    /// that a pipe can be read.
    /// </summary>
    private Task<string> EncodeAlacAsync() => EncodeAsync(Clip48k, ".m4a", "-c:a", "alac", "-movflags", "+faststart");

    /// <summary>Encodes a real clip with ffmpeg into the temp folder.</summary>
    private async Task<string> EncodeAsync(string clip, string extension, params string[] codecArguments)
    {
        var target = _folder.File(Path.ChangeExtension(clip, extension));
        using var process = ChildProcess.Start(
            Ffmpeg, ["-nostdin", "-hide_banner", "-loglevel", "error", "-i", TestPaths.SharedFile("audio", "orig", clip), .. codecArguments, target]);
        var result = await ChildProcess.CompleteAsync(process);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return target;
    }

    [Fact]
    public async Task OpenFileAsync_AlacInM4a_MatchesSoxReference()
    {
        var alac = await EncodeAlacAsync();
        var reference = SoxReferenceTests.ReadSoxWav(TestPaths.SharedFile("audio", "wav16k", Clip48k));

        await using var reader = await AudioDecoder.OpenFileAsync(alac, Options);
        var samples = await reader.ReadAllAsync(10_000_000);

        Assert.Equal(16000, reader.SampleRate);
        Assert.Null(reader.TotalSamples);
        Assert.InRange(samples.Length, reference.Length - 2, reference.Length + 2);
        var length = Math.Min(samples.Length, reference.Length);
        Assert.Equal(0, SoxReferenceTests.BestLag(reference[..length], samples[..length], maxLag: 8));
        var snr = SoxReferenceTests.SignalToNoiseDb(reference[..length], samples[..length]);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SNR ALAC via ffmpeg: {snr:0.0} dB"));
        Assert.True(snr > 50, $"SNR {snr:0.0} dB");
    }

    [Fact]
    public async Task OpenAsync_AlacNoTargetRate_KeepsTheInputRateFromANonSeekableStream()
    {
        var alac = await EncodeAlacAsync();
        await using var pipe = new ReadOnlyPipeStream(File.OpenRead(alac));

        await using var reader = await AudioDecoder.OpenAsync(pipe, Options with { TargetSampleRate = null });
        var samples = await reader.ReadAllAsync(10_000_000);

        Assert.Equal(48000, reader.SampleRate);
        Assert.Equal(83058, samples.Length);
    }

    [Theory]
    [InlineData(".aac", new[] { "-c:a", "aac", "-b:a", "64k" })]
    [InlineData(".ogg", new[] { "-c:a", "libopus", "-b:a", "32k" })]
    [InlineData(".webm", new[] { "-c:a", "libopus", "-b:a", "32k" })]
    [InlineData(".m4a", new[] { "-c:a", "aac", "-b:a", "64k" })]
    [InlineData(".wav", new[] { "-c:a", "adpcm_ms" })]
    public async Task OpenFileAsync_LossyContainers_DecodeToTheSameSpeech(string extension, string[] codec)
    {
        var encoded = await EncodeAsync(Clip48k, extension, codec);
        var reference = SoxReferenceTests.ReadSoxWav(TestPaths.SharedFile("audio", "wav16k", Clip48k));

        await using var reader = await AudioDecoder.OpenFileAsync(encoded, Options);
        var samples = await reader.ReadAllAsync(10_000_000);

        Assert.Equal(16000, reader.SampleRate);
        // Encoders add priming or padding of up to a few frames; the speech itself must line up closely.
        Assert.InRange(samples.Length, reference.Length - 1600, reference.Length + 1600);
        var lag = SoxReferenceTests.BestLag(reference, samples, maxLag: 1600);
        var aligned = samples.AsSpan(Math.Max(0, lag)).ToArray();
        var correlation = Correlation(reference.AsSpan(Math.Max(0, -lag)), aligned);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{extension}: lag {lag}, correlation {correlation:0.000}"));
        Assert.True(correlation > 0.9, $"{extension}: correlation {correlation:0.000}");
    }

    [Fact]
    public async Task OpenAsync_Mp3At8kHz_IsDecodedInProcessEvenWithFfmpeg()
    {
        // MPEG-2.5 at 8 kHz went to ffmpeg while NLayer garbled its short blocks; the own decoder reads it.
        var path = TestPaths.RepoAsset("audio", "encoded", "arctic-mp3-8k-mono-16kbps.mp3");
        var expected = await FfmpegReference.DecodeMonoAsync(path);

        var (samples, logs) = await DecodeFromPipeAsync(path);

        Assert.DoesNotContain(logs.Events, log => log.EventId == 1410);
        Assert.Equal(expected.Length, samples.Length);
        var snr = SignalComparison.SnrDb(expected, samples);
        Assert.True(snr > 115, $"SNR {snr:F1} dB against ffmpeg's decode"); // 119.9 dB measured
    }

    [Fact]
    public async Task OpenAsync_MpegLayerII_GoesToFfmpegWhenItIsThere()
    {
        var path = TestPaths.RepoAsset("audio", "encoded", "arctic-mp2-16k-mono-32kbps.mp2");
        var expected = await FfmpegReference.DecodeMonoAsync(path);

        var (samples, logs) = await DecodeFromPipeAsync(path);

        Assert.Contains(logs.Events, log => log.EventId == 1410 && log.Message.Contains("MPEG Layer I/II", StringComparison.Ordinal));
        Assert.Equal(expected, samples);
    }

    [Fact]
    public async Task OpenAsync_Id3TagBeforeAac_GoesToFfmpegFromTheFirstByte()
    {
        var aac = await File.ReadAllBytesAsync(await EncodeAsync(Clip48k, ".aac", "-c:a", "aac", "-b:a", "64k"));
        byte[] tagged = [.. "ID3"u8, 4, 0, 0, 0, 0, 0, 20, .. new byte[20], .. aac];
        var logs = new CapturingLoggerFactory();

        await using var reader = await AudioDecoder.OpenAsync(new ReadOnlyPipeStream(tagged), Options with { LoggerFactory = logs });
        var samples = await reader.ReadAllAsync(10_000_000);

        Assert.Contains(logs.Events, log => log.EventId == 1410 && log.Message.Contains("audio after an ID3 tag", StringComparison.Ordinal));
        Assert.InRange(samples.Length, 27000, 29500); // 1.73 s at 16 kHz, with the encoder's priming and padding
    }

    [Fact]
    public async Task OpenAsync_GarbageThroughFfmpeg_FailsInPlainWordsAndLogsFfmpegsReason()
    {
        var garbage = new byte[4096];
        new Random(3).NextBytes(garbage);
        var logs = new CapturingLoggerFactory();

        var error = await Assert.ThrowsAsync<HearsayException>(
            async () => await AudioDecoder.OpenAsync(new MemoryStream(garbage), Options with { LoggerFactory = logs }));

        Assert.Equal(HearsayErrorCode.InvalidInput, error.Code);
        Assert.Equal(
            "The audio could not be decoded: it is damaged, or not in a format ffmpeg reads. ffmpeg's own message is in Hearsay's log.", error.Message);
        var logged = Assert.Single(logs.Events, log => log.EventId == 1413);
        Assert.Equal(LogLevel.Information, logged.Level);
        Assert.Contains("Invalid data", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenFileAsync_AlacLongerThanTheLimit_IsRefusedBeforeAnySampleIsHandedOut()
    {
        var alac = await EncodeAlacAsync();

        var error = await Assert.ThrowsAsync<HearsayException>(
            async () => await AudioDecoder.OpenFileAsync(alac, Options with { MaxDuration = TimeSpan.FromSeconds(1) }));

        Assert.Equal(HearsayErrorCode.AudioTooLong, error.Code);
        Assert.Contains("longer than the 1-second limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenFileAsync_AlacWithinTheLimit_DecodesTheSameAsWithoutOne()
    {
        var alac = await EncodeAlacAsync();
        await using var unlimited = await AudioDecoder.OpenFileAsync(alac, Options);
        var expected = await unlimited.ReadAllAsync(10_000_000);

        // Measured once up to the limit, then decoded again from the first byte.
        await using var limited = await AudioDecoder.OpenFileAsync(alac, Options with { MaxDuration = TimeSpan.FromSeconds(10) });

        Assert.Equal(expected, await limited.ReadAllAsync(10_000_000));
    }

    [Fact]
    public async Task OpenAsync_FfmpegDecodesPastTheLimit_RefusesAtOnceAndStopsIt()
    {
        var (fake, pidFile) = Endless();
        var options = new AudioInputOptions { FfmpegPath = fake, MaxDuration = TimeSpan.FromSeconds(1) };

        var error = await Assert.ThrowsAsync<HearsayException>(
            async () => await AudioDecoder.OpenAsync(new MemoryStream(NotReadInProcess()), options));

        Assert.Equal(HearsayErrorCode.AudioTooLong, error.Code);
        await AssertExitedAsync(pidFile);
    }

    [Fact]
    public async Task ReadAsync_PipedInputPastTheLimit_StopsFfmpegAtTheLimitThenFails()
    {
        var (fake, pidFile) = Endless();
        var options = new AudioInputOptions { FfmpegPath = fake, TargetSampleRate = null, MaxDuration = TimeSpan.FromSeconds(1) };
        await using var reader = await AudioDecoder.OpenAsync(new ReadOnlyPipeStream(NotReadInProcess()), options);
        var samples = new float[4096];
        long handedOut = 0;

        var error = await Assert.ThrowsAsync<HearsayException>(async () =>
        {
            for (var reads = 0; reads < 100; reads++)
            {
                handedOut += await reader.ReadAsync(samples);
            }
        });

        Assert.Equal(HearsayErrorCode.AudioTooLong, error.Code);
        Assert.Equal(16000, handedOut);
        await AssertExitedAsync(pidFile);
    }

    [Fact]
    public async Task OpenAsync_FfmpegNotFound_IsUnsupportedAndSaysWhatIsAccepted()
    {
        var alac = await EncodeAlacAsync();
        var nowhere = new FfmpegLocator(name => name == "PATH" ? _folder.File("empty") : null, _folder.File("app"));

        await using var input = File.OpenRead(alac);
        var error = await Assert.ThrowsAsync<HearsayException>(
            async () => await AudioDecoder.OpenAsync(input, new AudioInputOptions(), nowhere, CancellationToken.None));

        Assert.Equal(HearsayErrorCode.UnsupportedFormat, error.Code);
        Assert.StartsWith("Unsupported audio format (MP4/M4A), and ffmpeg was not found.", error.Message, StringComparison.Ordinal);
        Assert.Contains("WAV (8/16/24/32-bit PCM, 32/64-bit float, A-law, µ-law", error.Message, StringComparison.Ordinal);
        Assert.Contains("raw s16le PCM with a given sample rate", error.Message, StringComparison.Ordinal);
        Assert.Contains("install it (e.g. apt-get install ffmpeg) or set HEARSAY_FFMPEG", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_FfmpegNotFound_WavStillDecodesNatively()
    {
        var nowhere = new FfmpegLocator(name => name == "PATH" ? _folder.File("empty") : null, _folder.File("app"));
        await using var input = File.OpenRead(TestPaths.SharedFile("audio", "orig", "jfk.wav"));

        await using var reader = await AudioDecoder.OpenAsync(input, new AudioInputOptions(), nowhere, CancellationToken.None);

        Assert.Equal(176000, (await reader.ReadAllAsync(1_000_000)).Length);
    }

    [Fact]
    public async Task OpenAsync_ExplicitFfmpegPathMissing_IsAnErrorNotAFallback()
    {
        var options = new AudioInputOptions { FfmpegPath = _folder.File("no-ffmpeg-here") };

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(
            async () => await AudioDecoder.OpenAsync(new MemoryStream("\0\0\0\u0020ftypM4A \0\0\0\0"u8.ToArray()), options));

        Assert.Contains("the ffmpeg option names", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_FfmpegHangs_StopsAfterTheTimeout()
    {
        var pidFile = _folder.File("pid");
        var fake = FakeProgram.Create(_folder, "ffmpeg", $"echo $$ > '{pidFile}'\nexec sleep 60");
        var options = new AudioInputOptions { FfmpegPath = fake, FfmpegTimeout = TimeSpan.FromSeconds(1) };
        var stopwatch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<HearsayException>(
            async () => await AudioDecoder.OpenAsync(new MemoryStream(NotReadInProcess()), options));

        Assert.Equal(HearsayErrorCode.DependencyFailed, error.Code);
        Assert.Equal("ffmpeg made no progress for 1 s and was stopped.", error.Message);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(20));
        await AssertExitedAsync(pidFile);
    }

    [Fact]
    public async Task ReadAsync_CancelledWhileFfmpegHangs_ThrowsAndKillsIt()
    {
        var (fake, pidFile) = HangingAfterHeader();
        var options = new AudioInputOptions { FfmpegPath = fake, TargetSampleRate = null };
        await using var reader = await AudioDecoder.OpenAsync(new MemoryStream(NotReadInProcess()), options);
        Assert.Equal(16000, reader.SampleRate);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.ReadAsync(new float[100], cancel.Token));

        await AssertExitedAsync(pidFile);
    }

    [Fact]
    public async Task OpenAsync_FfmpegWritesAudioHearsayRejects_FailsAtOnceAndStopsIt()
    {
        var pidFile = _folder.File("pid");
        // A streaming WAV header claiming 100 channels (more than accepted), then ffmpeg "keeps decoding".
        var header = @"RIFF\377\377\377\377WAVEfmt \020\0\0\0\001\0\144\0\200\076\0\0\0\175\0\0\310\0\020\0data\377\377\377\377";
        var fake = FakeProgram.Create(_folder, "ffmpeg", $"echo $$ > '{pidFile}'\nprintf '{header}'\nexec sleep 60");
        var stopwatch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<HearsayException>(
            async () => await AudioDecoder.OpenAsync(new MemoryStream(NotReadInProcess()), new AudioInputOptions { FfmpegPath = fake }));

        Assert.Equal(HearsayErrorCode.InvalidInput, error.Code);
        Assert.Contains("its output cannot be used: The audio is not a valid WAV file: it has 100 channels", error.Message, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"took {stopwatch.Elapsed}");
        await AssertExitedAsync(pidFile);
    }

    [Fact]
    public async Task DisposeAsync_WhileFfmpegRuns_KillsIt()
    {
        var (fake, pidFile) = HangingAfterHeader();
        var reader = await AudioDecoder.OpenAsync(new MemoryStream(NotReadInProcess()), new AudioInputOptions { FfmpegPath = fake });

        await reader.DisposeAsync();

        await AssertExitedAsync(pidFile);
    }

    /// <summary>A fake ffmpeg that writes a valid streaming WAV header (16 kHz mono 16-bit), then silence without end.</summary>
    private (string Program, string PidFile) Endless()
    {
        var pidFile = _folder.File("pid");
        var header = @"RIFF\377\377\377\377WAVEfmt \020\0\0\0\001\0\001\0\200\076\0\0\0\175\0\0\002\0\020\0data\377\377\377\377";
        return (FakeProgram.Create(_folder, "ffmpeg", $"echo $$ > '{pidFile}'\nprintf '{header}'\nexec cat /dev/zero"), pidFile);
    }

    /// <summary>A fake ffmpeg that writes a valid streaming WAV header (16 kHz mono 16-bit), then hangs before any sample.</summary>
    private (string Program, string PidFile) HangingAfterHeader()
    {
        var pidFile = _folder.File("pid");
        var header = @"RIFF\377\377\377\377WAVEfmt \020\0\0\0\001\0\001\0\200\076\0\0\0\175\0\0\002\0\020\0data\377\377\377\377";
        return (FakeProgram.Create(_folder, "ffmpeg", $"echo $$ > '{pidFile}'\nprintf '{header}'\nexec sleep 60"), pidFile);
    }

    private static async Task AssertExitedAsync(string pidFile)
    {
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        for (var i = 0; i < 50 && Directory.Exists($"/proc/{pid}"); i++)
        {
            await Task.Delay(100);
        }

        Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal), $"process {pid} still runs");
    }

    private static double Correlation(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double ab = 0, aa = 0, bb = 0;
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            ab += (double)a[i] * b[i];
            aa += (double)a[i] * a[i];
            bb += (double)b[i] * b[i];
        }

        return ab / Math.Sqrt(aa * bb);
    }

    /// <summary>The start of an M4A, which only ffmpeg decodes: what the fake ffmpegs are handed.</summary>
    private static byte[] NotReadInProcess() => "\0\0\0\u0018ftypM4A "u8.ToArray();

    /// <summary>Decodes a file from a pipe at its own rate, ffmpeg allowed; returns the samples and the log.</summary>
    private static async Task<(float[] Samples, CapturingLoggerFactory Logs)> DecodeFromPipeAsync(string path)
    {
        var logs = new CapturingLoggerFactory();
        await using var reader = await AudioDecoder.OpenAsync(
            new ReadOnlyPipeStream(File.OpenRead(path)), Options with { TargetSampleRate = null, LoggerFactory = logs });
        return (await reader.ReadAllAsync(10_000_000), logs);
    }
}
