using System.Diagnostics;
using Hearsay.Core.ExternalPrograms;

namespace Hearsay.Core.Tts.Phonemization.Portable;

/// <summary>
/// One running worker process of the portable phonemizer: one request at a time over its standard input and output
/// (<see cref="PhonemizerProtocol"/>). Its standard error is kept (the last lines) to explain a failure.
/// </summary>
internal sealed class PhonemizerWorker : IDisposable
{
    private const int KeptErrorLines = 20;

    private readonly Process _process;
    private readonly Stream _input;
    private readonly BufferedStream _output;
    private readonly Queue<string> _errorLines = new();
    private readonly Task _errorReader;

    private PhonemizerWorker(Process process)
    {
        _process = process;
        _input = process.StandardInput.BaseStream;
        _output = new BufferedStream(process.StandardOutput.BaseStream, 64 * 1024);
        _errorReader = KeepErrorsAsync(process.StandardError);
    }

    /// <summary>espeak-ng's version, as the module reports it when ready.</summary>
    public string Version { get; private set; } = string.Empty;

    /// <summary>The worker's process id (for tests that make it crash).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts a worker and waits for its ready line.</summary>
    /// <exception cref="HearsayException">It could not be started, or ended or failed before it was ready.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first (the worker is killed).</exception>
    public static async Task<PhonemizerWorker> StartAsync(
        PhonemizerWorkerCommand command, PortableEspeakNgBundle bundle, CancellationToken cancellationToken)
    {
        var worker = new PhonemizerWorker(ExternalProcess.Start("the portable phonemizer", command.FileName, command.ArgumentsFor(bundle)));
        try
        {
            worker.Version = await PhonemizerProtocol.ReadReadyAsync(worker._output, cancellationToken).ConfigureAwait(false);
            return worker;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException)
        {
            var reason = await worker.ExitReasonAsync().ConfigureAwait(false);
            worker.Dispose();
            throw new HearsayException(
                HearsayErrorCode.DependencyFailed, $"The portable phonemizer did not start ({reason}).", e);
        }
        catch
        {
            worker.Dispose();
            throw;
        }
    }

    /// <summary>Sends one request and reads its answer. Not thread-safe: the caller sends one at a time.</summary>
    /// <exception cref="EndOfStreamException">The worker ended (crashed) before it answered.</exception>
    /// <exception cref="InvalidDataException">The answer is malformed.</exception>
    public async Task<PhonemizerAnswer> ExchangeAsync(string voice, string text, CancellationToken cancellationToken)
    {
        try
        {
            await _input.WriteAsync(PhonemizerProtocol.Request(voice, text), cancellationToken).ConfigureAwait(false);
            await _input.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // A broken pipe: the worker is gone.
            throw new EndOfStreamException("The worker ended before it read the request.", e);
        }

        return await PhonemizerProtocol.ReadAnswerAsync(_output, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How the worker ended, for an error message: its exit code and the last line it wrote to standard error.</summary>
    public async Task<string> ExitReasonAsync()
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            await _errorReader.WaitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return "it stopped answering";
        }

        string? last;
        lock (_errorLines)
        {
            last = _errorLines.LastOrDefault(line => line.Trim().Length > 0);
        }

        return last is null ? $"exit code {_process.ExitCode}" : $"exit code {_process.ExitCode}: {last.Trim()}";
    }

    /// <summary>Kills the worker if it still runs.</summary>
    public void Dispose()
    {
        ExternalProcess.Kill(_process);
        _process.Dispose();
    }

    private async Task KeepErrorsAsync(StreamReader errors)
    {
        try
        {
            while (await errors.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lock (_errorLines)
                {
                    _errorLines.Enqueue(line.Length > 500 ? line[..500] : line);
                    if (_errorLines.Count > KeptErrorLines)
                    {
                        _errorLines.Dequeue();
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The worker was killed while writing.
        }
    }
}
