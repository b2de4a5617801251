using Hearsay.Cli;

return await HearsayCommandLine.InvokeAsync(args, CliConsole.System);
