using System.CommandLine;
using Hearsay.Core;
using Hearsay.Core.Models.Catalog;
using Hearsay.Core.Models.Download;
using Hearsay.Core.Models.Store;

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

    /// <summary>
    /// Installs <paramref name="models"/> one after the other, printing each one's folder. A failure stops there, as one
    /// line saying in plain words what happened and what to do; the technical detail is logged (<c>--verbose</c>).
    /// </summary>
    /// <exception cref="HearsayException">The first model that could not be installed.</exception>
    internal static async Task PullAsync(
        IReadOnlyList<CatalogModel> models, ModelDownloader downloader, bool replace, CliConsole console, CancellationToken cancellationToken)
    {
        foreach (var model in models)
        {
            if (model.Bundled)
            {
                console.Error.WriteLine($"{model.Id}: built into Hearsay, nothing to download");
                continue;
            }

            var view = new DownloadProgressView(console.Error, console.ErrorIsTerminal, TimeProvider.System);
            InstalledModel installed;
            try
            {
                installed = await downloader.InstallAsync(model, view, replace, cancellationToken);
            }
            catch (Exception e) when (DownloadFailures.Classify(e) is { } failure and not DownloadFailure.Cancelled)
            {
                throw new HearsayException((e as HearsayException)?.Code ?? HearsayErrorCode.DownloadFailed, Explain(model, failure), e);
            }
            finally
            {
                view.Finish();
            }

            if (!replace && installed.DiffersFrom(model))
            {
                console.Error.WriteLine($"{model.Id}: kept the installed version; the catalog lists other files now, and 'pull --replace {model.Id}' updates it");
            }

            console.Out.WriteLine(installed.Folder);
        }
    }

    private static async Task RunAsync(ParseResult parseResult, CliConsole console, CancellationToken cancellationToken)
    {
        var sources = await ModelSources.OpenAsync(parseResult, cancellationToken);
        // Every id is checked before the first byte is fetched.
        var models = parseResult.GetRequiredValue(Ids).Select(sources.Catalog.Get).ToList();
        using var http = ModelDownloader.CreateHttpClient();
        using var loggers = CommonOptions.CreateLoggerFactory(parseResult);
        var downloader = new ModelDownloader(sources.Store, http, loggerFactory: loggers);
        await PullAsync(models, downloader, parseResult.GetValue(Replace), console, cancellationToken);
    }

    /// <summary>The failure in plain words; a machine that cannot reach the server also learns how to get models without it.</summary>
    private static string Explain(CatalogModel model, DownloadFailure failure)
    {
        var explained = $"{model.Id}: {DownloadFailures.Explain(failure)}";
        return failure != DownloadFailure.NoConnection ? explained
            : $"{explained} Without internet here, set {ModelMirror.EnvironmentVariable} to a mirror's URL or a folder holding the model's files, " +
              $"or copy the model from a computer that has it: 'hearsay models export {model.Id} FILE.tar' there, 'hearsay models import FILE.tar' here.";
    }
}
