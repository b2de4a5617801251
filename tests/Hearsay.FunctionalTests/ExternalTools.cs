using System.Globalization;
using System.Text;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests;

/// <summary>sox, the independent reader of the audio Hearsay writes.</summary>
public static class ExternalTools
{
    private const string SoxHint = "Install it: apt-get install sox.";

    /// <summary>Runs a program and returns its standard output; fails when it exits non-zero.</summary>
    public static async Task<byte[]> RunAsync(string program, IEnumerable<string> arguments, byte[]? stdin = null)
    {
        using var process = ChildProcess.Start(TestPaths.Program(program, SoxHint), arguments);
        var result = await ChildProcess.CompleteAsync(process, stdin);
        return result.ExitCode == 0
            ? result.Stdout
            : throw new InvalidOperationException($"{program} exited {result.ExitCode}: {result.Stderr}");
    }

    /// <summary>One <c>soxi</c> field (-r rate, -c channels, -b bits, -s samples) of a file.</summary>
    public static async Task<long> SoxiAsync(string file, string field) =>
        long.Parse(Encoding.UTF8.GetString(await RunAsync("soxi", [field, file])).Trim(), CultureInfo.InvariantCulture);
}
