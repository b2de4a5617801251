using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Hearsay.Core.Audio;
using Hearsay.Core.Audio.Input;
using Hearsay.Testing;
using Xunit.Abstractions;

namespace Hearsay.Core.IntegrationTests.Audio;

/// <summary>
/// Encoding through the real ffmpeg, decoded back with Hearsay's own decoder; and fake ffmpegs that misbehave. Ogg Opus,
/// encoded in-process since issue 15, goes through the same checks of the shared API (more in <see cref="OggOpusStreamWriterTests"/>).
/// </summary>
public sealed class FfmpegAudioWriterTests(ITestOutputHelper output) : IDisposable
{
    private const int Rate = 22050;
    private const float Amplitude = 0.5f;
    private const double ToneHz = 440;
    private const string InstallHint = "Install ffmpeg (apt-get install ffmpeg).";

    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string Ffmpeg => TestPaths.Program("ffmpeg", InstallHint);

    public static TheoryData<AudioFormat, string, string> Formats => new()
    {
        { AudioFormat.Mp3, "mp3", "mp3" },
        { AudioFormat.Opus, "ogg", "opus" },
        { AudioFormat.Aac, "aac", "aac" },
        { AudioFormat.Flac, "flac", "flac" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task WriteAsync_ToneInChunks_DecodesBackToTheTone(AudioFormat format, string container, string codec)
    {
        var pipe = new RecordingStream();
        await using (var writer = AudioStreamWriter.Create(format, pipe, Rate, Ffmpeg))
        {
            await WriteToneAsync(writer, seconds: 1, chunkSamples: 4000);
            await writer.CompleteAsync();
            Assert.Equal(2L * Rate, writer.DataBytes);
        }

        var encoded = pipe.ToArray();
        Assert.Equal((container, codec), await ProbeAsync(encoded));
        var decoded = await DecodeAsync(encoded, targetRate: 16000);
        var seconds = decoded.Length / 16000.0;
        var (amplitude, toneShare) = Tone(decoded, 16000, from: 0.25, seconds: 0.5);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture, $"{format}: {encoded.Length} bytes, {seconds:0.0000} s, 440 Hz amplitude {amplitude:0.000}, share {toneShare:0.0000}"));

        // Encoder priming and padding (mp3 on a pipe has no Xing header to say how much) add up to a few frames. The
        // perceptual codecs keep the tone but not its exact level.
        Assert.InRange(seconds, 0.99, 1.12);
        Assert.InRange(amplitude, 0.8 * Amplitude, 1.1 * Amplitude);
        Assert.True(toneShare > 0.95, $"only {toneShare:0.000} of the energy is the tone");
    }

    [Fact]
    public async Task CompleteAsync_Flac_DecodesToExactlyTheSamplesWritten()
    {
        var pipe = new RecordingStream();
        await using var writer = AudioStreamWriter.Create(AudioFormat.Flac, pipe, Rate, Ffmpeg);
        var tone = ToneSamples(Rate);
        await WriteToneAsync(writer, seconds: 1, chunkSamples: 3000);
        await writer.CompleteAsync();

        var decoded = await DecodeAsync(pipe.ToArray(), targetRate: null);

        var pcm = new byte[tone.Length * 2];
        Pcm16.Write(tone, pcm);
        var expected = Enumerable.Range(0, tone.Length).Select(i => (float)BinaryPrimitives.ReadInt16LittleEndian(pcm.AsSpan(i * 2)) / 32768).ToArray();
        Assert.Equal(expected, decoded);
    }

    [Theory]
    [InlineData(AudioFormat.Mp3)]
    [InlineData(AudioFormat.Opus)]
    [InlineData(AudioFormat.Aac)]
    [InlineData(AudioFormat.Flac)]
    public async Task WriteAsync_FirstSentence_PlayableAudioReachesTheOutputBeforeTheNext(AudioFormat format)
    {
        var pipe = new RecordingStream();
        await using var writer = AudioStreamWriter.Create(format, pipe, Rate, Ffmpeg);

        // A one-second "sentence" in pieces; ffmpeg's stdin stays open, so what arrives now was streamed, not flushed
        // at the end. Headers alone do not count: what arrived must decode to half a second of audio.
        await WriteToneAsync(writer, seconds: 1, chunkSamples: Rate / 4);
        var clock = Stopwatch.StartNew();
        double heard;
        while ((heard = await DecodedSecondsAsync(pipe.ToArray())) < 0.5)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{format}: {heard:0.00} s playable after 30 s with the input open");
            await Task.Delay(50);
        }

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture, $"{format}: {heard:0.00} s playable ({pipe.BytesWritten} bytes) {clock.ElapsedMilliseconds} ms after the first second was written"));
        await WriteToneAsync(writer, seconds: 9, chunkSamples: Rate / 2);
        await writer.CompleteAsync();

        Assert.InRange(await DecodedSecondsAsync(pipe.ToArray()), 9.99, 10.12);
    }

    [Fact]
    public void Create_ExplicitFfmpegPathMissing_ThrowsDependencyUnavailable()
    {
        var missing = _folder.File("no-ffmpeg-here");

        var error = Assert.Throws<DependencyUnavailableException>(() => AudioStreamWriter.Create(AudioFormat.Mp3, new MemoryStream(), Rate, missing));

        Assert.Equal("ffmpeg", error.Dependency);
        Assert.Contains($"the ffmpeg option names {missing}, which does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_FfmpegNowhere_ThrowsDependencyUnavailableSayingWhereItLooked()
    {
        var nowhere = new FfmpegLocator(name => name == "PATH" ? _folder.File("empty") : null, _folder.File("app"));

        var error = Assert.Throws<DependencyUnavailableException>(
            () => AudioStreamWriter.Create(AudioFormat.Mp3, new MemoryStream(), Rate, ffmpegPath: null, nowhere));

        Assert.Equal(HearsayErrorCode.DependencyMissing, error.Code);
        Assert.StartsWith("ffmpeg not found (looked in ", error.Message, StringComparison.Ordinal);
        Assert.Contains("It is optional: without it, uploads in formats other than WAV, FLAC, MP3", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AudioFormat.Wav)]
    [InlineData(AudioFormat.Pcm)]
    [InlineData(AudioFormat.Opus)]
    public async Task Create_NativeFormatWithMissingFfmpegPath_NeedsNoFfmpeg(AudioFormat format)
    {
        using var stream = new MemoryStream();
        await using var writer = AudioStreamWriter.Create(format, stream, Rate, _folder.File("no-ffmpeg-here"));

        await writer.WriteAsync(new float[10]);
        await writer.CompleteAsync();

        Assert.Equal(20, writer.DataBytes);
    }

    [Fact]
    public async Task CompleteAsync_FfmpegFails_ThrowsDependencyFailedInPlainWordsAndLogsItsErrorOutput()
    {
        var fake = FakeProgram.Create(
            _folder, "ffmpeg", "cat > /dev/null\necho \"[libmp3lame @ 0x1] Invalid sample rate\" >&2\necho 'Conversion failed!' >&2\nexit 1");
        var logs = new CapturingLoggerFactory();
        await using var writer = AudioStreamWriter.Create(AudioFormat.Mp3, new RecordingStream(), Rate, fake, logs.CreateLogger("test"));
        await WriteToneAsync(writer, seconds: 1, chunkSamples: 4000);

        var error = await Assert.ThrowsAsync<HearsayException>(async () => await writer.CompleteAsync());

        Assert.Equal(HearsayErrorCode.DependencyFailed, error.Code);
        Assert.Equal("ffmpeg could not encode mp3 (exit code 1). ffmpeg's own message is in Hearsay's log.", error.Message);
        Assert.Equal("ffmpeg could not encode mp3 (exit code 1): [libmp3lame @ 0x1] Invalid sample rate; Conversion failed!", EncodeFailure(logs));
    }

    [Fact]
    public async Task WriteAsync_FfmpegExitsAtOnce_ThrowsDependencyFailedInPlainWordsAndLogsItsErrorOutput()
    {
        var fake = FakeProgram.Create(_folder, "ffmpeg", "echo 'Unknown encoder libmp3lame' >&2\nexit 1");
        var logs = new CapturingLoggerFactory();
        await using var writer = AudioStreamWriter.Create(AudioFormat.Mp3, new RecordingStream(), Rate, fake, logs.CreateLogger("test"));

        // More than a pipe holds, so a write fails once ffmpeg is gone, whichever call sees it first.
        var error = await Assert.ThrowsAsync<HearsayException>(async () =>
        {
            await WriteToneAsync(writer, seconds: 10, chunkSamples: Rate);
            await writer.CompleteAsync();
        });

        Assert.Equal(HearsayErrorCode.DependencyFailed, error.Code);
        Assert.StartsWith("ffmpeg could not encode mp3 (", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("libmp3lame", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(": Unknown encoder libmp3lame", EncodeFailure(logs), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteAsync_FfmpegWritesManyErrors_LogsABoundedTail()
    {
        var fake = FakeProgram.Create(
            _folder, "ffmpeg", "cat > /dev/null\ni=0\nwhile [ $i -lt 500 ]; do echo \"error line $i\" >&2; i=$((i+1)); done\nexit 1");
        var logs = new CapturingLoggerFactory();
        await using var writer = AudioStreamWriter.Create(AudioFormat.Aac, new RecordingStream(), Rate, fake, logs.CreateLogger("test"));

        var error = await Assert.ThrowsAsync<HearsayException>(async () => await writer.CompleteAsync());

        Assert.Equal(HearsayErrorCode.DependencyFailed, error.Code);
        var logged = EncodeFailure(logs);
        Assert.StartsWith("ffmpeg could not encode aac (exit code 1): … error line ", logged, StringComparison.Ordinal);
        Assert.EndsWith("; error line 499", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("error line 0;", logged, StringComparison.Ordinal);
        Assert.InRange(logged.Length, 100, 1200);
    }

    [Fact]
    public async Task WriteAsync_CancelledWhileTheOutputBlocks_ThrowsAndKillsFfmpeg()
    {
        var blocked = new BlockingStream();
        await using var writer = (FfmpegAudioWriter)AudioStreamWriter.Create(AudioFormat.Flac, blocked, Rate, Ffmpeg);
        using var cancel = new CancellationTokenSource();

        // Nothing leaves ffmpeg, so its pipes fill and a write waits: then cancel it.
        var writing = WriteToneAsync(writer, seconds: 60, chunkSamples: Rate, cancel.Token);
        await Poll.UntilAsync(() => blocked.WriteStarted, TimeSpan.FromSeconds(30), "ffmpeg's first output");
        var pid = writer.ProcessId!.Value;
        await Task.Delay(200);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await writing);
        await AssertExitedAsync(pid);
    }

    [Fact]
    public async Task CompleteAsync_CancelledWhileFfmpegHangs_ThrowsAndKillsIt()
    {
        var pidFile = _folder.File("pid");
        var fake = FakeProgram.Create(_folder, "ffmpeg", $"echo $$ > '{pidFile}'\nexec sleep 60");
        await using var writer = AudioStreamWriter.Create(AudioFormat.Mp3, new RecordingStream(), Rate, fake);
        await writer.WriteAsync(ToneSamples(Rate / 10));
        await Poll.UntilAsync(() => File.Exists(pidFile) && new FileInfo(pidFile).Length > 0, TimeSpan.FromSeconds(30), "the fake ffmpeg to start");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await writer.CompleteAsync(cancel.Token));

        await AssertExitedAsync(int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task DisposeAsync_BeforeCompletion_KillsFfmpeg()
    {
        var pipe = new RecordingStream();
        var writer = (FfmpegAudioWriter)AudioStreamWriter.Create(AudioFormat.Mp3, pipe, Rate, Ffmpeg);
        await WriteToneAsync(writer, seconds: 1, chunkSamples: 4000);
        var pid = writer.ProcessId!.Value;
        Assert.True(Directory.Exists($"/proc/{pid}"), "ffmpeg is not running");

        await writer.DisposeAsync();

        await AssertExitedAsync(pid);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await writer.WriteAsync(new float[10]));
    }

    [Fact]
    public async Task WriteAsync_OutputFails_ThrowsTheOutputsErrorAndStopsFfmpeg()
    {
        var broken = new BlockingStream { Failure = new IOException("The listener went away.") };
        await using var writer = (FfmpegAudioWriter)AudioStreamWriter.Create(AudioFormat.Mp3, broken, Rate, Ffmpeg);

        var error = await Assert.ThrowsAsync<IOException>(async () =>
        {
            await WriteToneAsync(writer, seconds: 60, chunkSamples: Rate);
            await writer.CompleteAsync();
        });

        Assert.Equal("The listener went away.", error.Message);
        await AssertExitedAsync(writer.ProcessId!.Value);
    }

    [Theory]
    [InlineData(AudioFormat.Mp3, 22050, new[] { "-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3" })]
    [InlineData(AudioFormat.Aac, 22050, new[] { "-c:a", "aac", "-b:a", "64k", "-f", "adts" })]
    [InlineData(AudioFormat.Flac, 22050, new[] { "-c:a", "flac", "-f", "flac" })]
    public void Arguments_EachFormat_RawPcmInEncodedOutOnPipes(AudioFormat format, int rate, string[] codec)
    {
        string[] expected =
        [
            "-nostdin", "-hide_banner", "-loglevel", "error", "-probesize", "32", "-analyzeduration", "0",
            "-f", "s16le", "-ar", rate.ToString(CultureInfo.InvariantCulture), "-ac", "1", "-i", "pipe:0",
            .. codec, "-flush_packets", "1", "pipe:1",
        ];

        Assert.Equal(expected, FfmpegAudioWriter.Arguments(format, rate));
    }

    /// <summary>
    /// libopus takes 16 kHz, but fed it directly it dropped this tone for 100 ms: hence 48 kHz always, as the in-process
    /// encoder (a port of libopus) still does.
    /// </summary>
    [Fact]
    public async Task WriteAsync_OpusFromASixteenKilohertzVoice_DecodesBackToTheTone()
    {
        var pipe = new RecordingStream();
        await using var writer = AudioStreamWriter.Create(AudioFormat.Opus, pipe, 16000, Ffmpeg);
        await writer.WriteAsync(ToneSamples(16000, 16000));
        await writer.CompleteAsync();

        var decoded = await DecodeAsync(pipe.ToArray(), targetRate: 16000);

        var (amplitude, toneShare) = Tone(decoded, 16000, from: 0.25, seconds: 0.5);
        Assert.InRange(decoded.Length / 16000.0, 0.99, 1.12);
        Assert.InRange(amplitude, 0.8 * Amplitude, 1.1 * Amplitude);
        Assert.True(toneShare > 0.95, $"only {toneShare:0.000} of the energy is the tone");
    }

    private static float[] ToneSamples(int count, int rate = Rate) =>
        Enumerable.Range(0, count).Select(i => Amplitude * (float)Math.Sin(2 * Math.PI * ToneHz * i / rate)).ToArray();

    /// <summary>The one warning the writer logged for ffmpeg's failure (event 1420).</summary>
    private static string EncodeFailure(CapturingLoggerFactory logs) => Assert.Single(logs.Events, log => log.EventId == 1420).Message;

    /// <summary>Writes <paramref name="seconds"/> of the tone in chunks, continuing its phase from chunk to chunk.</summary>
    private static async Task WriteToneAsync(AudioStreamWriter writer, int seconds, int chunkSamples, CancellationToken cancellationToken = default)
    {
        var tone = ToneSamples(seconds * Rate);
        for (var start = 0; start < tone.Length; start += chunkSamples)
        {
            await writer.WriteAsync(tone.AsMemory(start, Math.Min(chunkSamples, tone.Length - start)), cancellationToken);
        }
    }

    /// <summary>Seconds of audio in <paramref name="encoded"/>, which may be a stream's first bytes; 0 when nothing decodes yet.</summary>
    private static async Task<double> DecodedSecondsAsync(byte[] encoded)
    {
        try
        {
            return encoded.Length == 0 ? 0 : (await DecodeAsync(encoded, targetRate: 16000)).Length / 16000.0;
        }
        catch (HearsayException)
        {
            return 0;
        }
    }

    private static async Task<float[]> DecodeAsync(byte[] encoded, int? targetRate)
    {
        await using var reader = await AudioDecoder.OpenAsync(
            new MemoryStream(encoded), new AudioInputOptions { FfmpegPath = Ffmpeg, TargetSampleRate = targetRate });
        return await reader.ReadAllAsync(10_000_000);
    }

    /// <summary>The container and codec ffprobe sees.</summary>
    private async Task<(string Container, string Codec)> ProbeAsync(byte[] encoded)
    {
        var file = _folder.File("probe.bin");
        await File.WriteAllBytesAsync(file, encoded);
        using var process = ChildProcess.Start(
            TestPaths.Program("ffprobe", InstallHint),
            ["-v", "error", "-show_entries", "format=format_name:stream=codec_name", "-of", "default=noprint_wrappers=1:nokey=1", file]);
        var result = await ChildProcess.CompleteAsync(process);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (lines[1], lines[0]);
    }

    /// <summary>The 440 Hz amplitude in a window of whole cycles, and the share of the window's energy it carries.</summary>
    private static (double Amplitude, double Share) Tone(float[] samples, int rate, double from, double seconds)
    {
        var start = (int)(from * rate);
        var count = (int)(seconds * rate);
        double re = 0, im = 0, energy = 0;
        for (var i = 0; i < count; i++)
        {
            var x = samples[start + i];
            var phase = 2 * Math.PI * ToneHz * i / rate;
            re += x * Math.Cos(phase);
            im -= x * Math.Sin(phase);
            energy += (double)x * x;
        }

        var amplitude = 2 * Math.Sqrt((re * re) + (im * im)) / count;
        return (amplitude, amplitude * amplitude / 2 / (energy / count));
    }

    private static async Task AssertExitedAsync(int pid)
    {
        for (var i = 0; i < 50 && IsRunning(pid); i++)
        {
            await Task.Delay(100);
        }

        Assert.False(IsRunning(pid), $"process {pid} still runs");
    }

    /// <summary>Whether the process exists and is not a zombie waiting to be reaped.</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }

    /// <summary>A pipe-like output that records what arrives and can be read while the writer still writes.</summary>
    private sealed class RecordingStream : Stream
    {
        private readonly MemoryStream _bytes = new();
        private readonly Lock _lock = new();

        public long BytesWritten
        {
            get
            {
                lock (_lock)
                {
                    return _bytes.Length;
                }
            }
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public byte[] ToArray()
        {
            lock (_lock)
            {
                return _bytes.ToArray();
            }
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (_lock)
            {
                _bytes.Write(buffer, offset, count);
            }
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            lock (_lock)
            {
                _bytes.Write(buffer.Span);
            }

            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>An output whose writes never finish (a listener that stopped reading), or fail with <see cref="Failure"/>.</summary>
    private sealed class BlockingStream : Stream
    {
        private volatile bool _writeStarted;

        public Exception? Failure { get; init; }

        public bool WriteStarted => _writeStarted;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _writeStarted = true;
            if (Failure is not null)
            {
                throw Failure;
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
