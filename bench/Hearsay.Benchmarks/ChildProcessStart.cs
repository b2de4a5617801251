using System.Diagnostics;
using System.Text;

namespace Hearsay.Benchmarks;

/// <summary>How the benchmarks start a child process: its output and errors read as UTF-8, the arguments as given.</summary>
internal static class ChildProcessStart
{
    public static ProcessStartInfo For(string program, IEnumerable<string> arguments, bool redirectInput = false)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardInput = redirectInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        return startInfo;
    }
}
