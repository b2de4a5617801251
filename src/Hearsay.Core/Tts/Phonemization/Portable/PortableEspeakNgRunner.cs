using System.Diagnostics;
using System.Globalization;
using Hearsay.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Hearsay.Core.Tts.Phonemization.Portable;

/// <summary>
/// The portable phonemizer: espeak-ng's WebAssembly module in a long-lived worker process, started on first use. One
/// request at a time goes to the worker, so concurrent callers never see each other's phonemes. A worker that crashes
/// is started again and the text sent once more; one that does not answer in time is killed and the call fails.
/// </summary>
internal sealed class PortableEspeakNgRunner(
    EspeakNgProgram program, PhonemizerWorkerCommand command, TimeSpan timeout, ILogger logger) : IEspeakNg
{
    private readonly PortableEspeakNgBundle _bundle = new(program.DataDirectory!);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PhonemizerWorker? _worker;
    private int _disposed;

    public EspeakNgProgram Program => program;

    /// <inheritdoc />
    /// <remarks>A call to the running worker costs no process start: the first sentence goes alone, so it is spoken
    /// without waiting for the rest, which is phonemized while the voice runs.</remarks>
    public int SingleCallCharacters => 0;

    /// <summary>The running worker's process id, or null before the first call and after a failure (for tests).</summary>
    internal int? WorkerProcessId => _worker?.ProcessId;

    public async Task<string[]> PhonemizeAsync(string voice, string text, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (!PhonemizerProtocol.IsValidVoice(voice))
        {
            throw new HearsayException(HearsayErrorCode.DependencyFailed, $"espeak-ng has no voice named '{voice}'.");
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Once sent, a text is answered even if the caller gives up (it takes milliseconds, and the timeout bounds
            // it): stopping half-way would leave the answer in the pipe, and the worker would have to be killed.
            cancellationToken.ThrowIfCancellationRequested();
            var answer = await ExchangeWithRetryAsync(voice, text).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return answer.Succeeded
                ? EspeakNgOutput.Lines(answer.Text)
                : throw new HearsayException(HearsayErrorCode.DependencyFailed, $"espeak-ng failed for voice '{voice}': {answer.Text}");
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            _worker ??= await StartWorkerAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HearsayException(
                HearsayErrorCode.DependencyFailed,
                string.Create(CultureInfo.InvariantCulture, $"The portable phonemizer did not start within {timeout.TotalSeconds:0.#} s."));
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _worker?.Dispose();
            _worker = null;
            _gate.Dispose();
        }
    }

    private async Task<PhonemizerAnswer> ExchangeWithRetryAsync(string voice, string text)
    {
        using var deadline = new CancellationTokenSource(timeout);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _worker ??= await StartWorkerAsync(deadline.Token).ConfigureAwait(false);
                return await _worker.ExchangeAsync(voice, text, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is EndOfStreamException or InvalidDataException && attempt == 1)
            {
                var reason = await _worker!.ExitReasonAsync().ConfigureAwait(false);
                Log.PortablePhonemizerRestarted(logger, reason);
                Discard();
            }
            catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
            {
                var reason = await _worker!.ExitReasonAsync().ConfigureAwait(false);
                Discard();
                throw new HearsayException(
                    HearsayErrorCode.DependencyFailed, $"The portable phonemizer failed twice on this text ({reason}).", e);
            }
            catch (OperationCanceledException)
            {
                Discard();
                throw new HearsayException(
                    HearsayErrorCode.DependencyFailed,
                    string.Create(CultureInfo.InvariantCulture, $"The portable phonemizer did not answer within {timeout.TotalSeconds:0.#} s; it was stopped."));
            }
        }
    }

    private async Task<PhonemizerWorker> StartWorkerAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var worker = await PhonemizerWorker.StartAsync(command, _bundle, cancellationToken).ConfigureAwait(false);
        var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Log.PortablePhonemizerStarted(logger, worker.Version, elapsedMs);
        return worker;
    }

    private void Discard()
    {
        _worker?.Dispose();
        _worker = null;
    }
}
