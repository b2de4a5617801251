using System.CommandLine;
using Hearsay.Core;
using Hearsay.Core.Models.Store;

namespace Hearsay.Cli.Commands.Models;

/// <summary>
/// <c>hearsay models import PATH</c>, <c>hearsay models export ID PATH</c> and <c>hearsay models seed FOLDER</c>: moving
/// models without a network.
/// </summary>
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

    private static readonly Argument<string> SeedFolder = new("folder")
    {
        Description = "A folder of model folders and archives, such as an installer bundles",
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

    public static Command CreateSeed(CliConsole console)
    {
        var command = new Command(
            "seed", "Import every model in an installer's bundled folder that the store lacks; the exit code says whether any was refused") { SeedFolder };
        CommandRunner.SetAction(command, console, async (parseResult, console, cancellationToken) =>
        {
            var sources = await ModelSources.OpenAsync(parseResult, cancellationToken);
            var result = await ModelTransfer.SeedAsync(sources.Store, sources.Catalog, parseResult.GetRequiredValue(SeedFolder), cancellationToken);
            foreach (var model in result.Imported)
            {
                console.Error.WriteLine($"{model.Id}: imported and verified");
            }

            foreach (var model in result.AlreadyInstalled)
            {
                console.Error.WriteLine($"{model.Id}: already installed");
            }

            foreach (var model in result.Imported.Concat(result.AlreadyInstalled))
            {
                console.Out.WriteLine(model.Folder);
            }

            // Each refusal gets its line; the others are in the store all the same.
            foreach (var skip in result.Skipped)
            {
                console.Error.WriteLine($"{Path.GetFileName(skip.Path)}: not imported: {skip.Reason}");
            }

            if (result.Skipped.Count > 0)
            {
                throw new HearsayException(
                    HearsayErrorCode.IntegrityCheckFailed,
                    $"{result.Skipped.Count} of {result.Skipped.Count + result.Imported.Count + result.AlreadyInstalled.Count} entries were not imported.");
            }
        });
        return command;
    }
}
