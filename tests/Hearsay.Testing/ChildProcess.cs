using System.Diagnostics;
using System.Text;

namespace Hearsay.Testing;

/// <summary>What a finished child process wrote and returned.</summary>
public sealed record ProcessResult(int ExitCode, byte[] Stdout, string Stderr)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);

    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Starts real programs with redirected streams and collects what they write.</summary>
public static class ChildProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static Process Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            startInfo.Environment[name] = value;
        }

        return Process.Start(startInfo)!;
    }

    /// <summary>
    /// Writes <paramref name="stdin"/> (then closes it), and waits for the process while reading its output. A program
    /// may stop reading its input early.
    /// </summary>
    public static async Task<ProcessResult> CompleteAsync(Process process, byte[]? stdin = null)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout, timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.BaseStream.WriteAsync(stdin, timeout.Token);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It stopped reading before the end (it refused the input); its exit code and output say how it ended.
        }

        await process.WaitForExitAsync(timeout.Token);
        await copy;
        return new ProcessResult(process.ExitCode, stdout.ToArray(), await stderr);
    }
}
