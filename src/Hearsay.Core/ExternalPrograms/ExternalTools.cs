using System.Diagnostics;
using Hearsay.Core.Audio.Input;
using Hearsay.Core.Tts.Phonemization;

namespace Hearsay.Core.ExternalPrograms;

/// <summary>
/// Finds the external programs Hearsay runs (espeak-ng for text-to-speech, ffmpeg for audio formats other than WAV and
/// PCM) and asks each for its version, for <c>hearsay doctor</c> and the server's status. Finding only looks at files;
/// asking runs the program once, which also proves it starts.
/// </summary>
public static class ExternalTools
{
    /// <summary>What espeak-ng is for.</summary>
    public const string EspeakNgUse = "Turns text into phonemes for text-to-speech; without it there is no text-to-speech.";

    /// <summary>What ffmpeg is for.</summary>
    public const string FfmpegUse =
        "Decodes uploaded audio other than WAV and raw PCM, and encodes speech as mp3, opus, aac and flac; without it only WAV and PCM work.";

    private static readonly TimeSpan VersionTimeout = TimeSpan.FromSeconds(10);

    // Each program: its use, how it answers with its version, what its absence disables, and how it is found.
    private static readonly ToolSpec EspeakNg = new("espeak-ng", EspeakNgUse, "--version", "text-to-speech is unavailable.", path =>
    {
        var program = new EspeakNgLocator().Locate(path);
        return (program.ExecutablePath, program.Source);
    });

    private static readonly ToolSpec Ffmpeg = new("ffmpeg", FfmpegUse, "-version", "only WAV and raw PCM audio can be read and written.", path =>
    {
        var program = new FfmpegLocator().Locate(path);
        return (program.ExecutablePath, program.Source);
    });

    /// <summary>Finds both programs where Hearsay would: the given paths, their environment variables, next to hearsay, then PATH.</summary>
    /// <param name="espeakNgPath">An explicit espeak-ng path (program or folder); null to search.</param>
    /// <param name="ffmpegPath">An explicit ffmpeg path (program or folder); null to search.</param>
    public static IReadOnlyList<ExternalTool> Find(string? espeakNgPath, string? ffmpegPath) =>
        [Locate(EspeakNg, espeakNgPath), Locate(Ffmpeg, ffmpegPath)];

    /// <summary>
    /// Asks a found program for its version (<c>--version</c>, or <c>-version</c> for ffmpeg). A program that does not
    /// start or answer within 10 s comes back as missing, with what went wrong.
    /// </summary>
    /// <param name="tool">A program from <see cref="Find"/>; one that was not found comes back unchanged.</param>
    /// <param name="cancellationToken">Stops waiting (the program is killed).</param>
    public static async Task<ExternalTool> WithVersionAsync(ExternalTool tool, CancellationToken cancellationToken = default)
    {
        if (tool.ExecutablePath is not { } path || !tool.Found)
        {
            return tool;
        }

        var spec = tool.Name == Ffmpeg.Name ? Ffmpeg : EspeakNg;
        var argument = spec.VersionArgument;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(VersionTimeout);
        Process? process = null;
        try
        {
            process = ExternalProcess.Start(tool.Name, path, [argument]);
            process.StandardInput.Close();
            var output = await process.StandardOutput.ReadToEndAsync(timeout.Token).ConfigureAwait(false);
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            return process.ExitCode == 0
                ? tool with { Version = ParseVersion(output) }
                : tool with { Problem = $"{tool.Name} at {path} answered '{argument}' with exit code {process.ExitCode}; {spec.Disables}" };
        }
        catch (HearsayException e)
        {
            return tool with { Problem = $"{e.Message}; {spec.Disables}" };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return tool with { Problem = $"{tool.Name} at {path} did not answer '{argument}' within {VersionTimeout.TotalSeconds:0} s; {spec.Disables}" };
        }
        finally
        {
            ExternalProcess.Kill(process);
            process?.Dispose();
        }
    }

    /// <summary>
    /// The version in a program's banner: the first word of its first line that starts with a digit
    /// (<c>eSpeak NG text-to-speech: 1.51  Data at: …</c> gives 1.51, <c>ffmpeg version 5.1.6-0+deb12u1 …</c> gives 5.1.6-0+deb12u1).
    /// </summary>
    internal static string? ParseVersion(string banner)
    {
        var firstLine = banner.AsSpan().TrimStart();
        var end = firstLine.IndexOfAny('\r', '\n');
        if (end >= 0)
        {
            firstLine = firstLine[..end];
        }

        foreach (var range in firstLine.Split(' '))
        {
            var word = firstLine[range];
            if (word.Length > 0 && char.IsAsciiDigit(word[0]))
            {
                return word.ToString();
            }
        }

        return null;
    }

    private static ExternalTool Locate(ToolSpec spec, string? configuredPath)
    {
        try
        {
            var (path, source) = spec.Locate(configuredPath);
            return new ExternalTool(spec.Name, spec.UsedFor, path, source, Version: null, Problem: null);
        }
        catch (DependencyUnavailableException e)
        {
            return new ExternalTool(spec.Name, spec.UsedFor, ExecutablePath: null, Source: null, Version: null, e.Message);
        }
    }

    private sealed record ToolSpec(
        string Name, string UsedFor, string VersionArgument, string Disables, Func<string?, (string Path, string Source)> Locate);
}
