using System.Diagnostics;
using System.Reflection;
using System.Text;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests;

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
        var commandLine = CommandLine(arguments);
        return ChildProcess.Start(commandLine[0], commandLine[1..], environment);
    }

    /// <summary>The program and arguments that run the CLI, for wrappers such as script(1).</summary>
    public static string[] CommandLine(IEnumerable<string> arguments) =>
        File.Exists(CliPath)
            ? [DotnetHost, CliPath, .. arguments]
            : throw new FileNotFoundException($"The CLI under test is not built: {CliPath}");

    public static async Task<ProcessResult> RunAsync(
        IEnumerable<string> arguments, string? stdin = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var process = Start(arguments, environment);
        return await CompleteAsync(process, stdin);
    }

    public static Task<ProcessResult> CompleteAsync(Process process, string? stdin = null) =>
        ChildProcess.CompleteAsync(process, stdin is null ? null : Encoding.UTF8.GetBytes(stdin));
}
