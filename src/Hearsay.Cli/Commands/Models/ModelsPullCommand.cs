using System.CommandLine;
using Hearsay.Core.Models.Download;

namespace Hearsay.Cli.Commands.Models;

/// <summary><c>hearsay models pull ID…</c>: download, verify and install, with a live progress bar.</summary>
internal static class ModelsPullCommand
{
    private static readonly Argument<string[]> Ids = new("id") { Description = "Catalog ids (see 'hearsay models list')", Arity = ArgumentArity.OneOrMore };

    private static readonly Option<bool> Replace = new("--replace")
    {
        Description = "Replace an installed model whose catalog entry has changed (an update)",
    };

    public static Command Create(CliConsole console)
    {
        var command = new Command("pull", "Download models into the store (resuming any partial download)") { Ids, Replace };
        CommandRunner.SetAction(command, console, RunAsync);
        return command;
    }

    private static async Task RunAsync(ParseResult parseResult, CliConsole console, CancellationToken cancellationToken)
    {
        var sources = await ModelSources.OpenAsync(parseResult, cancellationToken);
        // Every id is checked before the first byte is fetched.
        var models = parseResult.GetRequiredValue(Ids).Select(sources.Catalog.Get).ToList();
        using var http = ModelSources.CreateHttpClient();
        var downloader = new ModelDownloader(sources.Store, http);
        foreach (var model in models)
        {
            if (model.Bundled)
            {
                console.Error.WriteLine($"{model.Id}: built into Hearsay, nothing to download");
                continue;
            }

            var view = new DownloadProgressView(console.Error, console.ErrorIsTerminal, TimeProvider.System);
            try
            {
                var replace = parseResult.GetValue(Replace);
                var installed = await downloader.InstallAsync(model, view, replace, cancellationToken);
                if (!replace && installed.DiffersFrom(model))
                {
                    console.Error.WriteLine($"{model.Id}: kept the installed version; the catalog lists other files now, and 'pull --replace {model.Id}' updates it");
                }

                console.Out.WriteLine(installed.Folder);
            }
            finally
            {
                view.Finish();
            }
        }
    }
}
