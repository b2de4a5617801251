using System.CommandLine;
using Hearsay.Core.ExternalPrograms;
using Hearsay.Core.Models.Store;
using Hearsay.Core.Tts.Phonemization;
using Microsoft.Extensions.Logging;

namespace Hearsay.Cli;

/// <summary>Options every command accepts.</summary>
internal static class CommonOptions
{
    public static readonly Option<string?> EspeakNg = new("--espeak-ng")
    {
        Description = $"The espeak-ng program to phonemize with (default: ${ExternalProgram.EspeakNg.EnvironmentVariable}, " +
                      "the portable phonemizer beside hearsay, espeak-ng next to hearsay, PATH, then its install folder)",
        Recursive = true,
    };

    public static readonly Option<PhonemizerKind?> Phonemizer = new("--phonemizer")
    {
        Description = "Force the native espeak-ng program or the portable phonemizer shipped beside hearsay (native|portable; " +
                      "default: the first found, in the order --espeak-ng gives)",
        Recursive = true,
    };

    public static readonly Option<string?> ModelsDir = new("--models-dir")
    {
        Description = $"The model store (default: ${ModelStore.EnvironmentVariable}, else the per-user store every installation shares)",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Log details to stderr (phonemes skipped, timings)",
        Recursive = true,
    };

    /// <summary>The phonemizer the command line asks for.</summary>
    public static PhonemizerOptions PhonemizerOptions(ParseResult parseResult) =>
        new() { EspeakNgPath = parseResult.GetValue(EspeakNg), Kind = parseResult.GetValue(Phonemizer) };

    public static ILoggerFactory CreateLoggerFactory(ParseResult parseResult) => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(parseResult.GetValue(Verbose) ? LogLevel.Debug : LogLevel.Warning)
        .AddSimpleConsole(options => options.SingleLine = true)
        .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace));
}
