using System.Diagnostics;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests;

/// <summary>sox, the independent reader of the audio Hearsay writes.</summary>
public static class ExternalTools
{
    private const string SoxHint = "Install it: apt-get install sox.";

    /// <summary>Runs a program and returns its standard output; fails when it exits non-zero.</summary>
    public static async Task<byte[]> RunAsync(string program, IEnumerable<string> arguments, byte[]? stdin = null)
    {
        var startInfo = new ProcessStartInfo(TestPaths.Program(program, SoxHint))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var errors = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync();
        await copy;
        return process.ExitCode == 0
            ? output.ToArray()
            : throw new InvalidOperationException($"{program} exited {process.ExitCode}: {await errors}");
    }

    /// <summary>One <c>soxi</c> field (-r rate, -c channels, -b bits, -s samples) of a file.</summary>
    public static async Task<long> SoxiAsync(string file, string field) =>
        long.Parse(System.Text.Encoding.UTF8.GetString(await RunAsync("soxi", [field, file])).Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
