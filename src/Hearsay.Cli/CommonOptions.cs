using System.CommandLine;
using Hearsay.Core.ExternalPrograms;
using Hearsay.Core.Models.Store;
using Microsoft.Extensions.Logging;

namespace Hearsay.Cli;

/// <summary>Options every command accepts.</summary>
internal static class CommonOptions
{
    public static readonly Option<string?> EspeakNg = new("--espeak-ng")
    {
        Description = $"The espeak-ng program to phonemize with (default: ${ExternalProgram.EspeakNg.EnvironmentVariable}, " +
                      "next to hearsay, then PATH)",
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

    public static ILoggerFactory CreateLoggerFactory(ParseResult parseResult) => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(parseResult.GetValue(Verbose) ? LogLevel.Debug : LogLevel.Warning)
        .AddSimpleConsole(options => options.SingleLine = true)
        .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace));
}
