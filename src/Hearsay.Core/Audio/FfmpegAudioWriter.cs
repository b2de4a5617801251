using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using Hearsay.Core.Audio.Input;
using Hearsay.Core.Diagnostics;
using Hearsay.Core.ExternalPrograms;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hearsay.Core.Audio;

/// <summary>
/// Encodes through an ffmpeg process (mp3, ADTS AAC, FLAC): 16-bit PCM goes to its stdin as it is written,
/// and a background pump copies its stdout to the output as it arrives, so a listener hears the first sentence while
/// later ones are synthesized. ffmpeg is LGPL/GPL, so it runs as a separate program and is never linked.
/// </summary>
/// <remarks>
/// ffmpeg starts with the first write (or with <see cref="AudioStreamWriter.CompleteAsync"/>). Cancelling a write or
/// the completion, a failing output stream, and disposing the writer before completion all kill ffmpeg.
/// </remarks>
internal sealed class FfmpegAudioWriter : AudioStreamWriter
{
    private const int PipeBufferBytes = 64 * 1024;
    private const int MaxStderrChars = 1024;
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(5);

    private readonly FfmpegProgram _program;
    private readonly AudioFormat _format;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime = new();
    private Process? _process;
    private Stream? _stdin;
    private Task _pump = Task.CompletedTask;
    private ErrorOutput? _stderr;
    private ExceptionDispatchInfo? _outputFailure;
    private bool _completed;
    private int _disposed;

    public FfmpegAudioWriter(FfmpegProgram program, AudioFormat format, Stream output, int sampleRate, ILogger? logger = null)
        : base(output, sampleRate)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (!AudioFormats.NeedsFfmpeg(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "WAV and PCM are written without ffmpeg.");
        }

        _program = program;
        _format = format;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The ffmpeg process id once started, for tests that check it was stopped.</summary>
    internal int? ProcessId => _process?.Id;

    /// <summary>ffmpeg's arguments: raw PCM in on stdin, <paramref name="format"/> out on stdout.</summary>
    internal static IReadOnlyList<string> Arguments(AudioFormat format, int sampleRate)
    {
        // -nostdin only turns off ffmpeg's keyboard commands, which would read the same pipe as the samples. The input's
        // format is given, yet ffmpeg still probes it: by default it read about 2 s of samples before writing a byte,
        // holding back a short first sentence until the next one came; the smallest probe lets the first frame out at once.
        List<string> arguments =
        [
            "-nostdin", "-hide_banner", "-loglevel", "error",
            "-probesize", "32", "-analyzeduration", "0",
            "-f", "s16le", "-ar", sampleRate.ToString(CultureInfo.InvariantCulture), "-ac", "1", "-i", "pipe:0",
        ];

        // Bitrates are for one voice channel at Piper's 16 or 22.05 kHz: 64 kbit/s mp3 and AAC are plenty for speech,
        // against 353 kbit/s for 16-bit PCM at 22.05 kHz.
        switch (format)
        {
            case AudioFormat.Mp3:
                arguments.AddRange(["-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3"]);
                break;
            case AudioFormat.Aac:
                // ADTS, not MP4: an MP4 needs its index written at the end (or a seekable output), ADTS streams.
                arguments.AddRange(["-c:a", "aac", "-b:a", "64k", "-f", "adts"]);
                break;
            case AudioFormat.Flac:
                arguments.AddRange(["-c:a", "flac", "-f", "flac"]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Not an ffmpeg format.");
        }

        // Write each packet as it is muxed rather than when ffmpeg's 32 KB buffer fills (four seconds of 64 kbit/s mp3).
        // ffmpeg 5.1 already does so on pipes by default; saying it keeps that true whatever the version.
        arguments.AddRange(["-flush_packets", "1", "pipe:1"]);
        return arguments;
    }

    private protected override ValueTask BeforeFirstWriteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_process is not null)
        {
            return ValueTask.CompletedTask;
        }

        var process = ExternalProcess.Start("ffmpeg", _program.ExecutablePath, Arguments(_format, SampleRate));
        _process = process;
        _stdin = process.StandardInput.BaseStream;
        var stdout = process.StandardOutput.BaseStream;
        _pump = Task.Run(() => PumpOutputAsync(stdout, _lifetime.Token), CancellationToken.None);
        // Keep the last lines: ffmpeg's last errors end with the reason it gave up.
        _stderr = ErrorOutput.KeepEnd(process.StandardError, MaxStderrChars, _lifetime.Token);
        return ValueTask.CompletedTask;
    }

    private protected override async ValueTask WritePcmAsync(ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_completed)
        {
            throw new InvalidOperationException("The audio is complete: nothing more can be written.");
        }

        try
        {
            // Killing ffmpeg makes a write blocked on a full pipe fail at once, whatever the pipe does with the token.
            using var registration = cancellationToken.UnsafeRegister(static state => ((FfmpegAudioWriter)state!).Kill(), this);
            await _stdin!.WriteAsync(pcm, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Kill();
            throw;
        }
        catch (IOException e) when (cancellationToken.IsCancellationRequested)
        {
            Kill();
            throw new OperationCanceledException("Cancelled while writing to ffmpeg.", e, cancellationToken);
        }
        catch (IOException e)
        {
            // ffmpeg stopped reading: it failed, or the pump killed it because the output failed.
            throw await StoppedWhileEncodingAsync(e).ConfigureAwait(false);
        }
    }

    // The pump flushes every piece ffmpeg writes, and the stream is the pump's until completion.
    private protected override ValueTask OnFlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    private protected override async ValueTask OnCompleteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_completed)
        {
            return;
        }

        var process = _process!;
        try
        {
            using var registration = cancellationToken.UnsafeRegister(static state => ((FfmpegAudioWriter)state!).Kill(), this);
            CloseInput();
            await _pump.WaitAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            await _stderr!.Drained.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Kill();
            throw;
        }

        _outputFailure?.Throw();
        if (process.ExitCode != 0)
        {
            throw Failed($"exit code {process.ExitCode}");
        }

        _completed = true;
    }

    private protected override async ValueTask DisposeAsyncCore()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (!_completed)
        {
            Kill();
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        // Neither task throws: both catch what stopping them causes.
        await Task.WhenAll(_pump, _stderr?.Drained ?? Task.CompletedTask).ConfigureAwait(false);
        CloseInput();
        if (_process is { } process)
        {
            // Reap it before returning, so a caller that checks finds no ffmpeg left.
            using var grace = new CancellationTokenSource(ExitGrace);
            try
            {
                await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (grace.IsCancellationRequested)
            {
                // Killed but not yet gone; the runtime reaps it when it exits.
            }

            process.Dispose();
        }

        _lifetime.Dispose();
        await base.DisposeAsyncCore().ConfigureAwait(false);
    }

    /// <summary>After a write failed: the output's own failure if the pump saw one, else ffmpeg's.</summary>
    private async Task<Exception> StoppedWhileEncodingAsync(IOException writeError)
    {
        using var grace = new CancellationTokenSource(ExitGrace);
        try
        {
            await _pump.WaitAsync(grace.Token).ConfigureAwait(false);
            await _process!.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            await _stderr!.Drained.WaitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (grace.IsCancellationRequested)
        {
            Kill();
            return Failed("it stopped reading the audio", writeError);
        }

        _outputFailure?.Throw();
        return Failed($"exit code {_process.ExitCode}", writeError);
    }

    /// <summary>
    /// The failure in plain words; ffmpeg's own (its internals, memory addresses included) goes to the log, never to
    /// whoever asked for the audio.
    /// </summary>
    private HearsayException Failed(string reason, Exception? innerException = null)
    {
        var name = AudioFormats.Name(_format);
        var stderr = _stderr!.Summary();
        Log.FfmpegEncodeFailed(_logger, name, reason, stderr.Length > 0 ? stderr : "nothing on stderr");
        return new HearsayException(
            HearsayErrorCode.DependencyFailed, $"ffmpeg could not encode {name} ({reason}). ffmpeg's own message is in Hearsay's log.", innerException);
    }

    private async Task PumpOutputAsync(Stream stdout, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(PipeBufferBytes);
        try
        {
            int read;
            while ((read = await stdout.ReadAsync(buffer.AsMemory(0, PipeBufferBytes), cancellationToken).ConfigureAwait(false)) > 0)
            {
                await Output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                await Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Usually the listener went away. Stop ffmpeg, so the next write fails at once rather than block on a full
            // pipe, and hand this exception to the caller: it says what happened, not ffmpeg's broken pipe.
            _outputFailure = ExceptionDispatchInfo.Capture(e);
            Kill();
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void CloseInput()
    {
        try
        {
            _stdin?.Dispose();
        }
        catch (IOException)
        {
            // ffmpeg already exited; its exit code says how.
        }
    }

    private void Kill() => ExternalProcess.Kill(_process);
}
