using System.CommandLine;
using Hearsay.Core;

namespace Hearsay.Cli;

/// <summary>
/// Runs a command body and turns every outcome into an exit code and, on failure, exactly one line on stderr:
/// no stack traces for expected failures.
/// </summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(CliConsole console, Func<Task> body, CancellationToken cancellationToken)
    {
        try
        {
            await body();
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Fail(console, "cancelled", ExitCodes.Cancelled);
        }
        catch (DependencyUnavailableException e)
        {
            return Fail(console, e.Message, ExitCodes.Unavailable);
        }
        catch (HearsayException e) when (e.Code is HearsayErrorCode.InvalidInput or HearsayErrorCode.UnsupportedFormat or HearsayErrorCode.AudioTooLong)
        {
            return Fail(console, e.Message, ExitCodes.InvalidUsage);
        }
        catch (CommandLineException e)
        {
            return Fail(console, e.Message, ExitCodes.InvalidUsage);
        }
        catch (HearsayException e)
        {
            return Fail(console, e.Message, ExitCodes.Failure);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(console, e.Message, ExitCodes.Failure);
        }
    }

    /// <summary>Makes <paramref name="body"/> the command's action, run through <see cref="RunAsync"/>.</summary>
    public static void SetAction(Command command, CliConsole console, Func<ParseResult, CliConsole, CancellationToken, Task> body) =>
        command.SetAction((parseResult, cancellationToken) =>
            RunAsync(console, () => body(parseResult, console, cancellationToken), cancellationToken));

    public static int Fail(CliConsole console, string message, int exitCode)
    {
        console.Error.WriteLine($"hearsay: {OneLine(message)}");
        return exitCode;
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>An invalid combination of command-line values, found after parsing.</summary>
internal sealed class CommandLineException(string message) : Exception(message);
