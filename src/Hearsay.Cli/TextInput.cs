using System.CommandLine;

namespace Hearsay.Cli;

/// <summary>The TEXT argument: literal text, or <c>-</c> for UTF-8 text on standard input.</summary>
internal static class TextInput
{
    public static Argument<string> CreateArgument() =>
        new("text") { Description = "The text, or - to read UTF-8 text from standard input" };

    public static async Task<string> ReadAsync(string argument, CliConsole console, CancellationToken cancellationToken)
    {
        if (argument != "-")
        {
            return argument;
        }

        using var reader = new StreamReader(console.OpenInput(), CliConsole.Utf8);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
