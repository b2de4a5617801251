using System.Diagnostics;
using System.Globalization;
using Hearsay.Core.ExternalPrograms;

namespace Hearsay.Core.Tts.Phonemization;

/// <summary>Runs the espeak-ng program to turn text into IPA phonemes, one output line per clause.</summary>
internal sealed class EspeakNgRunner(EspeakNgProgram program, TimeSpan timeout) : IEspeakNg
{
    public EspeakNgProgram Program { get; } = program;

    /// <inheritdoc />
    /// <remarks>A process costs about 20 ms, so a short text goes in one.</remarks>
    public int SingleCallCharacters => ClauseBatches.NativeSingleCallCharacters;

    /// <inheritdoc />
    /// <remarks>One process per call.</remarks>
    public async Task<string[]> PhonemizeAsync(string voice, string text, CancellationToken cancellationToken)
    {
        using var process = ExternalProcess.Start("espeak-ng", Program.ExecutablePath, Arguments(voice));
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var token = timeoutSource.Token;
        try
        {
            // Write and read concurrently: a large text would otherwise fill the pipes and deadlock both sides.
            var stdout = process.StandardOutput.ReadToEndAsync(token);
            var stderr = process.StandardError.ReadToEndAsync(token);
            await WriteInputAsync(process.StandardInput, text, token).ConfigureAwait(false);
            await process.WaitForExitAsync(token).ConfigureAwait(false);
            var output = await stdout.ConfigureAwait(false);
            var errors = await stderr.ConfigureAwait(false);

            if (process.ExitCode != 0)
            {
                var reason = FirstLine(errors) ?? $"exit code {process.ExitCode}";
                throw new HearsayException(
                    HearsayErrorCode.DependencyFailed, $"espeak-ng failed for voice '{voice}': {reason}");
            }

            return EspeakNgOutput.Lines(output);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HearsayException(
                HearsayErrorCode.DependencyFailed,
                string.Create(CultureInfo.InvariantCulture, $"espeak-ng did not finish within {timeout.TotalSeconds:0.#} s."));
        }
        finally
        {
            KillIfRunning(process);
        }
    }

    private List<string> Arguments(string voice)
    {
        // -q: no audio; -b 1: the input is UTF-8; --ipa: phonemes as IPA, one line per clause; --stdin: read the
        // whole text at once, as the library Piper calls does (line by line, each line is phonemized on its own and
        // a clause without stressed words gets a stress the library does not give it).
        List<string> arguments = ["-q", "-b", "1", "--ipa", "--stdin", "-v", voice];
        if (Program.DataDirectory is { } data)
        {
            arguments.Add($"--path={data}");
        }

        return arguments;
    }

    private static async Task WriteInputAsync(StreamWriter input, string text, CancellationToken cancellationToken)
    {
        try
        {
            await input.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
            await input.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // espeak-ng exited before reading everything; its exit code and stderr say why.
        }
        finally
        {
            input.Close();
        }
    }

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();

    private static void KillIfRunning(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    /// <summary>Nothing to prepare: each call starts its own process.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Nothing to release: each call's process ends with the call.</summary>
    public void Dispose()
    {
    }
}
