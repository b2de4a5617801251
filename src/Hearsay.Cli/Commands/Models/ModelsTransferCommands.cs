using System.CommandLine;
using Hearsay.Core.Models.Store;

namespace Hearsay.Cli.Commands.Models;

/// <summary><c>hearsay models import PATH</c> and <c>hearsay models export ID PATH</c>: moving models without a network.</summary>
internal static class ModelsTransferCommands
{
    private static readonly Argument<string> ImportPath = new("path")
    {
        Description = "A model folder, or a .tar, .tar.gz or .zip archive (such as 'models export' writes)",
    };

    private static readonly Option<string?> ImportId = new("--id") { Description = "The catalog id, when the folder or archive does not say" };

    private static readonly Option<bool> Replace = new("--replace") { Description = "Replace an installed model that differs" };

    private static readonly Argument<string> ExportId = new("id") { Description = "An installed model" };

    private static readonly Argument<string> ExportPath = new("path")
    {
        Description = "Where to write it: NAME.tar, NAME.tar.gz, NAME.zip, or a folder",
    };

    public static Command CreateImport(CliConsole console)
    {
        var command = new Command("import", "Install a model copied from another machine, verified against the catalog") { ImportPath, ImportId, Replace };
        CommandRunner.SetAction(command, console, async (parseResult, console, cancellationToken) =>
        {
            var sources = await ModelSources.OpenAsync(parseResult, cancellationToken);
            var installed = await ModelTransfer.ImportAsync(
                sources.Store, sources.Catalog, parseResult.GetRequiredValue(ImportPath), parseResult.GetValue(ImportId), parseResult.GetValue(Replace), cancellationToken);
            console.Error.WriteLine($"{installed.Id}: imported and verified");
            console.Out.WriteLine(installed.Folder);
        });
        return command;
    }

    public static Command CreateExport(CliConsole console)
    {
        var command = new Command("export", "Write an installed model to an archive or folder, for 'models import' elsewhere") { ExportId, ExportPath };
        CommandRunner.SetAction(command, console, async (parseResult, console, cancellationToken) =>
        {
            var store = (await ModelSources.OpenAsync(parseResult, cancellationToken)).Store;
            console.Out.WriteLine(await ModelTransfer.ExportAsync(store, parseResult.GetRequiredValue(ExportId), parseResult.GetRequiredValue(ExportPath), cancellationToken));
        });
        return command;
    }
}
