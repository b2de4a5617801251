using System.CommandLine;
using System.Runtime.InteropServices;
using Hearsay.Core;
using Hearsay.Core.ExternalPrograms;
using Hearsay.Core.Models;
using Hearsay.Core.Models.Catalog;
using Hearsay.Core.Models.Store;
using Hearsay.Core.Onnx;
using Hearsay.Server;

namespace Hearsay.Cli.Commands;

/// <summary>
/// <c>hearsay doctor</c>: what this installation has and what each missing piece disables — ONNX Runtime, espeak-ng,
/// ffmpeg, the model store, and the models <c>serve</c> would load. It exits 1 only when something required is
/// missing, so an installer or a support script can check a bundle: ONNX Runtime, a writable store, and espeak-ng
/// unless text-to-speech is off (<c>--tts none</c>). A missing ffmpeg only narrows the audio formats, and models not
/// yet downloaded are the normal first-run state: both are reported, neither fails.
/// </summary>
internal static class DoctorCommand
{
    private const int LabelWidth = 16;

    private static readonly Option<string?> Ffmpeg = new("--ffmpeg") { Description = "The ffmpeg program to check (default: $HEARSAY_FFMPEG, next to hearsay, then PATH)" };

    private static readonly Option<string> Stt = new("--stt")
    {
        Description = "The speech-to-text model serve would load (catalog id or folder)",
        DefaultValueFactory = _ => HearsayServerOptions.DefaultSttModel,
    };

    private static readonly Option<string> Tts = new("--tts")
    {
        Description = "The voice serve would load (catalog id or .onnx file)",
        DefaultValueFactory = _ => HearsayServerOptions.DefaultTtsVoice,
    };

    public static Command Create(CliConsole console)
    {
        var command = new Command("doctor", "Check what this installation has: ONNX Runtime, espeak-ng, ffmpeg, the model store and the models")
        {
            Ffmpeg,
            Stt,
            Tts,
        };
        command.SetAction(async (parseResult, cancellationToken) => await RunAsync(parseResult, console, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CliConsole console, CancellationToken cancellationToken)
    {
        var output = console.Out;
        output.WriteLine($"Hearsay {HearsayVersion.Release} on {RuntimeInformation.RuntimeIdentifier} ({RuntimeInformation.FrameworkDescription}), at {AppContext.BaseDirectory}");
        var missing = 0;
        var optionalMissing = 0;

        missing += OnnxRuntimeCheck.TryLoad(out var ortVersion, out var ortProblem)
            ? Line(output, "ONNX Runtime", $"ok       {ortVersion}")
            : Line(output, "ONNX Runtime", $"MISSING  {ortProblem}", missing: true);

        var tts = parseResult.GetRequiredValue(Tts);
        var found = new ExternalTools(
            parseResult.GetValue(CommonOptions.EspeakNg), parseResult.GetValue(Ffmpeg), phonemizer: parseResult.GetValue(CommonOptions.Phonemizer)).All;
        var tools = await Task.WhenAll(found.Select(tool => ExternalTools.WithVersionAsync(tool, cancellationToken)));
        foreach (var tool in tools)
        {
            var required = tool.Program.RequiredForTextToSpeech && tts != HearsayServerOptions.None;
            if (tool.Found)
            {
                Line(output, tool.Name, $"ok       {tool.Version ?? "(version unknown)"} at {tool.ExecutablePath} ({tool.Source})");
            }
            else if (required)
            {
                missing += Line(output, tool.Name, $"MISSING  {tool.Problem}", missing: true);
            }
            else
            {
                optionalMissing += Line(output, tool.Name, $"missing  {tool.Problem}", missing: true);
            }

            Detail(output, tool.UsedFor);
        }

        var store = ModelStore.Open(parseResult.GetValue(CommonOptions.ModelsDir));
        missing += StoreProblem(store) is { } storeProblem
            ? Line(output, "model store", $"MISSING  {store.Root}: {storeProblem}", missing: true)
            : Line(output, "model store", $"ok       {store.Root} (writable, {store.ListInstalled().Count} model(s), {FreeSpace(store.Root)} free)");

        var catalog = await ModelCatalog.LoadAsync(cancellationToken: cancellationToken);
        Line(output, "speech-to-text", ModelLine(parseResult.GetRequiredValue(Stt), catalog, store));
        Line(output, "text-to-speech", ModelLine(tts, catalog, store));

        output.WriteLine(
            missing > 0 ? $"{missing} thing(s) missing: see MISSING above for what each disables and what to do."
            : optionalMissing > 0 ? $"Everything Hearsay needs is here; {optionalMissing} optional program(s) missing: see 'missing' above for what each disables."
            : "Everything Hearsay runs is here.");
        return missing == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>Writes one labelled line; returns 1 when it reports something missing, so callers can count.</summary>
    private static int Line(TextWriter output, string label, string text, bool missing = false)
    {
        output.WriteLine($"{label.PadRight(LabelWidth)}{text}");
        return missing ? 1 : 0;
    }

    private static void Detail(TextWriter output, string text) => output.WriteLine($"{new string(' ', LabelWidth + 9)}{text}");

    private static string ModelLine(string model, ModelCatalog catalog, ModelStore store)
    {
        if (model == HearsayServerOptions.None)
        {
            return "off      (none)";
        }

        if (!ModelId.NamesCatalogModel(model))
        {
            return File.Exists(model) || Directory.Exists(model) ? $"ok       {Path.GetFullPath(model)}" : $"note     {model}: no such file or folder";
        }

        return ModelInstallStatus.Find(model, catalog, store) switch
        {
            null => $"note     {model}: not a catalog id ('hearsay models list' shows them)",
            { IsUsable: true } => $"ok       {model} (installed)",
            var status => $"note     {model}: not installed yet, {ByteSize.Format(status.RemainingBytes)} to download " +
                          $"('hearsay models pull {model}', or the first-run page)",
        };
    }

    private static string? StoreProblem(ModelStore store)
    {
        var probe = Path.Combine(store.Root, $".doctor-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(store.Root);
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"not writable ({e.Message}); downloads cannot be installed. Set {ModelStore.EnvironmentVariable} or --models-dir to a writable folder.";
        }
    }

    private static string FreeSpace(string path)
    {
        try
        {
            return ByteSize.Format(new DriveInfo(path).AvailableFreeSpace);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return "unknown space";
        }
    }
}
