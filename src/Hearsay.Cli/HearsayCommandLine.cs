using System.CommandLine;
using Hearsay.Cli.Commands;
using Hearsay.Cli.Commands.Models;

namespace Hearsay.Cli;

/// <summary>The <c>hearsay</c> command tree.</summary>
internal static class HearsayCommandLine
{
    public static async Task<int> InvokeAsync(string[] args, CliConsole console)
    {
        var root = new RootCommand("Hearsay: offline speech-to-text and text-to-speech")
        {
            ServeCommand.Create(console),
            SpeakCommand.Create(console),
            TranscribeCommand.Create(console),
            PhonemesCommand.Create(console),
            ModelsCommand.Create(console),
            DoctorCommand.Create(console),
        };
        root.Options.Add(CommonOptions.EspeakNg);
        root.Options.Add(CommonOptions.Phonemizer);
        root.Options.Add(CommonOptions.ModelsDir);
        root.Options.Add(CommonOptions.Verbose);

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            var command = string.Join(' ', parseResult.CommandResult.Command.Name == root.Name
                ? ["hearsay"]
                : new[] { "hearsay", parseResult.CommandResult.Command.Name });
            // An unknown word explains more than the "required command" error it causes.
            var reason = parseResult.UnmatchedTokens.Count > 0
                ? $"Unrecognized command or argument '{parseResult.UnmatchedTokens[0]}'."
                : parseResult.Errors[0].Message;
            return CommandRunner.Fail(console, $"{reason} (see '{command} --help')", ExitCodes.InvalidUsage);
        }

        return await parseResult.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error });
    }
}
