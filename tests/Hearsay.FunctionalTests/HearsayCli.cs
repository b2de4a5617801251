using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Hearsay.FunctionalTests;

/// <summary>The result of one <c>hearsay</c> run.</summary>
public sealed record CliResult(int ExitCode, byte[] Stdout, string Stderr)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);

    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Runs the <c>hearsay</c> built alongside these tests as a real child process.</summary>
public static class HearsayCli
{
    private static readonly string CliPath = typeof(HearsayCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "HearsayCliPath").Value!;

    /// <summary>The dotnet host running the tests; used by absolute path so tests can change PATH.</summary>
    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path
        : "dotnet";

    public static Process Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        if (!File.Exists(CliPath))
        {
            throw new FileNotFoundException($"The CLI under test is not built: {CliPath}");
        }

        var startInfo = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(CliPath);
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

    public static async Task<CliResult> RunAsync(
        IEnumerable<string> arguments, string? stdin = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var process = Start(arguments, environment);
        return await CompleteAsync(process, stdin);
    }

    public static async Task<CliResult> CompleteAsync(Process process, string? stdin = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout, timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        if (stdin is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(Encoding.UTF8.GetBytes(stdin), timeout.Token);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(timeout.Token);
        await copy;
        return new CliResult(process.ExitCode, stdout.ToArray(), await stderr);
    }
}
