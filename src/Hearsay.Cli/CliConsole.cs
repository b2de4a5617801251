using System.Text;

namespace Hearsay.Cli;

/// <summary>The process's standard streams. The only place the CLI touches <c>System.Console</c>.</summary>
/// <param name="OpenInput">Opens standard input (text or audio read from <c>-</c>).</param>
/// <param name="OpenOutput">Opens standard output for binary data (audio written to <c>-o -</c>).</param>
/// <param name="Out">Text output: results meant for the user or another program.</param>
/// <param name="Error">Diagnostics: errors, progress, logs.</param>
/// <param name="ErrorIsTerminal">Standard error is a terminal, so progress can redraw one line in place.</param>
/// <param name="InputIsPipe">Standard input is a pipe (or socket) whose end means the process that holds it is done.</param>
internal sealed record CliConsole(
    Func<Stream> OpenInput, Func<Stream> OpenOutput, TextWriter Out, TextWriter Error, bool ErrorIsTerminal = false, bool InputIsPipe = false)
{
    /// <summary>UTF-8 without a byte-order mark, whatever the platform's console code page.</summary>
    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

#pragma warning disable RS0030 // The console is banned everywhere else; this is the one owner.
    public static CliConsole System { get; } = new(
        Console.OpenStandardInput,
        Console.OpenStandardOutput,
        new StreamWriter(Console.OpenStandardOutput(), Utf8) { AutoFlush = true },
        new StreamWriter(Console.OpenStandardError(), Utf8) { AutoFlush = true },
        !Console.IsErrorRedirected,
        Console.IsInputRedirected && StandardInput.IsPipe());
#pragma warning restore RS0030
}
