using System.CommandLine;
using System.Globalization;
using Hearsay.Core;
using Hearsay.Core.Models.Catalog;
using Hearsay.Core.Models.Store;

namespace Hearsay.Cli.Commands.Models;

/// <summary><c>hearsay models …</c>: the catalog and the shared model store.</summary>
internal static class ModelsCommand
{
    private static readonly Option<bool> InstalledOnly = new("--installed") { Description = "Only models that are installed" };

    private static readonly Option<string?> Kind = new("--kind") { Description = "Only stt, tts or vad models" };

    public static Command Create(CliConsole console)
    {
        var list = new Command("list", "List the catalog's models and whether each is installed") { InstalledOnly, Kind };
        CommandRunner.SetAction(list, console, ListAsync);
        var where = new Command("where", "Print the model store's folder");
        CommandRunner.SetAction(where, console, (parseResult, console, _) =>
        {
            console.Out.WriteLine(ModelStore.Open(parseResult.GetValue(CommonOptions.ModelsDir)).Root);
            return Task.CompletedTask;
        });

        return new Command("models", "Download, list, verify, import, export and seed models in the shared store")
        {
            list,
            ModelsPullCommand.Create(console),
            ModelsMaintenanceCommands.CreateRemove(console),
            ModelsMaintenanceCommands.CreateVerify(console),
            ModelsTransferCommands.CreateImport(console),
            ModelsTransferCommands.CreateExport(console),
            ModelsTransferCommands.CreateSeed(console),
            where,
        };
    }

    private static async Task ListAsync(ParseResult parseResult, CliConsole console, CancellationToken cancellationToken)
    {
        ModelKind? kind = parseResult.GetValue(Kind) switch
        {
            null => null,
            "stt" => ModelKind.Stt,
            "tts" => ModelKind.Tts,
            "vad" => ModelKind.Vad,
            var other => throw new CommandLineException($"--kind {other} is not stt, tts or vad."),
        };
        var sources = await ModelSources.OpenAsync(parseResult, cancellationToken);
        var rows = ModelInstallStatus.ListAll(sources.Catalog, sources.Store)
            .Where(row => kind is null || row.Model.Kind == kind)
            .Where(row => !parseResult.GetValue(InstalledOnly) || row.IsUsable)
            .Select(row => (row.Model, State: Describe(row)))
            .ToList();

        var idWidth = Math.Max(2, rows.Count == 0 ? 0 : rows.Max(row => row.Model.Id.Length));
        console.Out.WriteLine($"{"ID".PadRight(idWidth)}  KIND  LANGUAGES  {"SIZE",9}  STATE");
        foreach (var (model, state) in rows)
        {
            var languages = model.Languages.Count > 3 ? $"{model.Languages.Count} langs" : string.Join(',', model.Languages);
            console.Out.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{model.Id.PadRight(idWidth)}  {model.Kind.ToString().ToLowerInvariant(),-4}  {languages,-9}  {Size(model),9}  {state}"));
        }
    }

    /// <summary>The download size; a built-in model has nothing to download, and "0 B" would say it is empty.</summary>
    private static string Size(CatalogModel model) => model.Bundled ? "built in" : ByteSize.Format(model.SizeBytes);

    private static string Describe(ModelInstallStatus status) => status.State switch
    {
        ModelInstallState.BuiltIn => "built in",
        ModelInstallState.Installed when !status.InCatalog => "installed (not in the catalog)",
        ModelInstallState.Installed => "installed",
        ModelInstallState.UpdateAvailable => "installed, update available (pull --replace)",
        ModelInstallState.Partial => string.Create(
            CultureInfo.InvariantCulture, $"partial {Math.Floor(100 * status.FractionInStore):0}% (pull resumes it)"),
        _ => "not installed",
    };
}
