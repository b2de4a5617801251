using System.CommandLine;
using Hearsay.Core.Onnx;

namespace Hearsay.Cli;

/// <summary>
/// <c>--threads</c> of every command that loads a model (<c>serve</c>, <c>transcribe</c>, <c>speak</c>): threads per
/// model run, for Whisper and Piper alike. Absent, each engine takes <see cref="EngineThreads.Default"/>.
/// </summary>
internal static class ThreadsOption
{
    public const string Name = "--threads";

    public static Option<int?> Create()
    {
        var option = new Option<int?>(Name)
        {
            Description = $"Threads per model run (default: min({EngineThreads.DefaultLimit}, cores), here {EngineThreads.Default.Count}; " +
                          "more than the cores counts as the cores)",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } threads && threads < 1)
            {
                result.AddError($"{Name} must be at least 1, not {threads}.");
            }
        });
        return option;
    }
}
