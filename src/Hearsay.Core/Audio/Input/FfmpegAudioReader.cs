using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Hearsay.Core.Diagnostics;
using Hearsay.Core.ExternalPrograms;
using Microsoft.Extensions.Logging;

namespace Hearsay.Core.Audio.Input;

/// <summary>
/// Decodes through an ffmpeg process: the input is piped to its stdin while its stdout, 32-bit float WAV at the input's
/// own rate and channels, is read as the caller reads, so nothing is held whole and no temp file is written.
/// </summary>
/// <remarks>
/// A watchdog stops ffmpeg when a read waits longer than the timeout with neither input taken nor output produced.
/// Cancelling a read, or disposing the reader, kills the process.
/// </remarks>
internal sealed class FfmpegAudioReader : MonoAudioReader
{
    private const int PipeBufferBytes = 64 * 1024;
    private const int MaxStderrChars = 4096;
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(2);

    // Input on stdin, no video, 32-bit float WAV on stdout (its header carries the rate when ffmpeg keeps the input's
    // own); -nostdin only turns off ffmpeg's keyboard commands, which would read the same pipe. Channels and rate are
    // converted by Hearsay, as for WAV, so every format gets the same mix and the same filter: ffmpeg's -ac 1 mixes
    // stereo as (L+R)/√2 where the WAV path averages, and its default resampler is further from sox than
    // Hearsay's (36 dB against 59 dB SNR on the same clip).
    private static readonly string[] Arguments =
    [
        "-nostdin", "-hide_banner", "-loglevel", "error", "-i", "pipe:0", "-vn",
        "-c:a", "pcm_f32le", "-f", "wav", "pipe:1",
    ];

    private readonly Process _process;
    private readonly BufferedInput _source;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly CancellationTokenSource _watchdog = new();
    private readonly Lock _watchdogLock = new();
    private readonly Task _pump;
    private readonly ErrorOutput _stderr;
    private readonly BufferedInput _output;
    private PcmAudioReader? _pcm;
    private bool _readPending;
    private int _disposed;

    private FfmpegAudioReader(Process process, BufferedInput source, TimeSpan timeout, ILogger logger)
    {
        _process = process;
        _source = source;
        _timeout = timeout;
        _logger = logger;
        _watchdog.Token.UnsafeRegister(static state => ((FfmpegAudioReader)state!).Kill(), this);
        _output = new BufferedInput(new WatchedStream(this, process.StandardOutput.BaseStream), PipeBufferBytes);
        _pump = Task.Run(() => PumpInputAsync(_lifetime.Token));
        // Keep the start (ffmpeg's reason comes first).
        _stderr = ErrorOutput.KeepStart(process.StandardError, MaxStderrChars, _lifetime.Token);
    }

    public override int SampleRate => _pcm?.SampleRate ?? throw new InvalidOperationException("Not started.");

    public override long? TotalSamples => null;

    /// <summary>Starts ffmpeg and reads the header of what it writes.</summary>
    /// <exception cref="HearsayException">ffmpeg could not start, rejected the input, or stalled.</exception>
    public static async ValueTask<MonoAudioReader> StartAsync(
        FfmpegProgram program, BufferedInput source, TimeSpan timeout, ILogger logger, CancellationToken cancellationToken)
    {
        var process = ExternalProcess.Start("ffmpeg", program.ExecutablePath, Arguments);
        var reader = new FfmpegAudioReader(process, source, timeout, logger);
        try
        {
            await reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
            return reader;
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var pcm = _pcm ?? throw new InvalidOperationException("Not started.");
        var read = await GuardAsync(pcm.ReadAsync(destination, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (read == 0 && !destination.IsEmpty)
        {
            await FinishAsync(cancellationToken).ConfigureAwait(false);
        }

        return read;
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Kill();
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_pump, _stderr.Drained).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        _process.Dispose();
        _watchdog.Dispose();
        _lifetime.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private async Task ReadHeaderAsync(CancellationToken cancellationToken)
    {
        WavInfo info;
        try
        {
            info = await GuardAsync(WavParser.ReadHeaderAsync(_output, null, _logger, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (HearsayException e) when (e.Code is HearsayErrorCode.InvalidInput or HearsayErrorCode.UnsupportedFormat)
        {
            // Usually ffmpeg rejected the input and exited, and its exit code and stderr say why. If it is still
            // writing, it decoded something Hearsay cannot take (such as more channels than accepted): stop it now
            // rather than wait for the watchdog.
            using var grace = new CancellationTokenSource(ExitGrace);
            try
            {
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (grace.IsCancellationRequested)
            {
                Kill();
                throw new HearsayException(e.Code, $"ffmpeg decoded the audio, but its output cannot be used: {e.Message}", e);
            }

            await FinishAsync(cancellationToken).ConfigureAwait(false);
            throw new HearsayException(HearsayErrorCode.DependencyFailed, $"ffmpeg wrote no usable audio: {e.Message}", e);
        }

        _pcm = new PcmAudioReader(_output, info.Layout, info.SampleRate, info.DataBytes);
    }

    /// <summary>After ffmpeg's output ended: surfaces an input error, or ffmpeg's own failure.</summary>
    private async Task FinishAsync(CancellationToken cancellationToken)
    {
        await GuardAsync(new ValueTask<bool>(WaitForExitAsync()), cancellationToken).ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        await _stderr.Drained.ConfigureAwait(false);
        Log.FfmpegExited(_logger, _process.ExitCode, _elapsed.ElapsedMilliseconds);
        if (_process.ExitCode != 0)
        {
            // ffmpeg's own words name its internals (pipe:0, demuxer instances at memory addresses): they are for the
            // log; whoever sent the audio gets a sentence they can act on.
            var reason = _stderr.Summary();
            Log.FfmpegDecodeFailed(_logger, _process.ExitCode, reason.Length > 0 ? reason : "nothing on stderr");
            throw new HearsayException(
                HearsayErrorCode.InvalidInput,
                "The audio could not be decoded: it is damaged, or not in a format ffmpeg reads. ffmpeg's own message is in Hearsay's log.");
        }
    }

    private async Task<bool> WaitForExitAsync()
    {
        Arm();
        try
        {
            await _process.WaitForExitAsync(_watchdog.Token).ConfigureAwait(false);
            return true;
        }
        finally
        {
            Disarm();
        }
    }

    /// <summary>Turns a watchdog stop or a cancelled read into the right exception, killing ffmpeg either way.</summary>
    private async ValueTask<T> GuardAsync<T>(ValueTask<T> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await operation.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Kill();
            throw;
        }
        catch (Exception e) when (_watchdog.IsCancellationRequested && e is OperationCanceledException or IOException or HearsayException)
        {
            var reason = string.Create(
                CultureInfo.InvariantCulture, $"ffmpeg made no progress for {_timeout.TotalSeconds:0.###} s and was stopped.");
            Log.FfmpegStopped(_logger, reason);
            throw new HearsayException(HearsayErrorCode.DependencyFailed, reason, e);
        }
    }

    private async Task PumpInputAsync(CancellationToken cancellationToken)
    {
        var stdin = _process.StandardInput.BaseStream;
        var buffer = ArrayPool<byte>.Shared.Rent(PipeBufferBytes);
        try
        {
            while (true)
            {
                var read = await _source.ReadAsync(buffer.AsMemory(0, PipeBufferBytes), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                try
                {
                    await stdin.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // ffmpeg stopped reading: it has what it needs, or it failed, and its exit code says which.
                    break;
                }

                Progress();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            try
            {
                stdin.Dispose();
            }
            catch (IOException)
            {
                // Already gone.
            }
        }
    }

    private void Arm()
    {
        lock (_watchdogLock)
        {
            _readPending = true;
            TryCancelAfter(_timeout);
        }
    }

    private void Disarm()
    {
        lock (_watchdogLock)
        {
            _readPending = false;
            TryCancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    private void Progress()
    {
        lock (_watchdogLock)
        {
            if (_readPending)
            {
                TryCancelAfter(_timeout);
            }
        }
    }

    private void TryCancelAfter(TimeSpan delay)
    {
        try
        {
            _watchdog.CancelAfter(delay);
        }
        catch (ObjectDisposedException)
        {
            // Disposed while the pump was finishing.
        }
    }

    private void Kill() => ExternalProcess.Kill(_process);

    /// <summary>ffmpeg's stdout, with every read under the watchdog.</summary>
    private sealed class WatchedStream(FfmpegAudioReader owner, Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            owner.Arm();
            try
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, owner._watchdog.Token);
                return await inner.ReadAsync(buffer, linked.Token).ConfigureAwait(false);
            }
            finally
            {
                owner.Disarm();
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
