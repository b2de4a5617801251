using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Hearsay.Core.ExternalPrograms;

/// <summary>Starts and stops the external programs Hearsay runs as child processes (ffmpeg, espeak-ng).</summary>
internal static class ExternalProcess
{
    // No byte-order mark: a writer on stdin would otherwise put one in front of what the program reads.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Starts <paramref name="executablePath"/> without a shell or a window, with stdin, stdout and stderr all redirected
    /// as UTF-8 text; a program that takes or gives bytes is written and read through their base streams.
    /// </summary>
    /// <param name="programName">The program's name for the error, e.g. <c>ffmpeg</c>.</param>
    /// <param name="executablePath">The program to run.</param>
    /// <param name="arguments">Its arguments, each passed as one argument whatever it contains.</param>
    /// <exception cref="HearsayException">The program could not be started (<see cref="HearsayErrorCode.DependencyFailed"/>).</exception>
    public static Process Start(string programName, string executablePath, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo(executablePath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
            return process;
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new HearsayException(
                HearsayErrorCode.DependencyFailed, $"{programName} could not be started ({executablePath}): {e.Message}", e);
        }
    }

    /// <summary>Kills <paramref name="process"/> and its children if it is still running; never throws.</summary>
    public static void Kill(Process? process)
    {
        try
        {
            if (process is { HasExited: false })
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // It exited between the check and the kill, or was never started.
        }
    }
}
