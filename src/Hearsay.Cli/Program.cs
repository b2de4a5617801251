using Hearsay.Cli;
using Hearsay.Cli.PortablePhonemizer;

_ = GlibcMalloc.Configure();

// The portable phonemizer's worker (ADR 0010): started by a serving hearsay, it talks its pipe protocol on stdin and
// stdout and needs none of the command line's parsing or console handling.
if (args is [PortablePhonemizerHost.Verb, var bundleDirectory])
{
    return PortablePhonemizerHost.Run(bundleDirectory, CliConsole.System.Error);
}

return await HearsayCommandLine.InvokeAsync(args, CliConsole.System);
