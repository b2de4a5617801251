using Hearsay.Contracts.Status;
using Hearsay.Core.ExternalPrograms;
using Microsoft.Extensions.Logging;

namespace Hearsay.Server.Capabilities;

/// <summary>
/// The external programs the server runs (espeak-ng, ffmpeg), for the status. Where they are is known at once; their
/// versions arrive a moment later from a background check, which also proves they start, and then
/// <see cref="Changed"/> fires. Checked once per server: a program installed later needs a restart to show.
/// </summary>
internal sealed partial class ToolInventory
{
    private readonly ILogger _logger;
    private volatile IReadOnlyList<ToolStatus> _current;

    public ToolInventory(HearsayServerOptions options, ILogger<ToolInventory> logger)
    {
        _logger = logger;
        var found = ExternalTools.Find(options.EspeakNgPath, options.FfmpegPath);
        _current = [.. found.Select(ToStatus)];
        _ = Task.Run(() => CheckAsync(found));
    }

    /// <summary>Fires once, when the versions are in.</summary>
    public event Action? Changed;

    /// <summary>The programs as last checked.</summary>
    public IReadOnlyList<ToolStatus> Current => _current;

    private static ToolStatus ToStatus(ExternalTool tool) =>
        new(tool.Name, tool.Found, tool.ExecutablePath, tool.Version, tool.UsedFor, tool.Problem);

    private async Task CheckAsync(IReadOnlyList<ExternalTool> found)
    {
        var checkedTools = await Task.WhenAll(found.Select(tool => ExternalTools.WithVersionAsync(tool)));
        foreach (var tool in checkedTools.Where(tool => !tool.Found))
        {
            LogMissing(_logger, tool.Name, tool.Problem!);
        }

        _current = [.. checkedTools.Select(ToStatus)];
        Changed?.Invoke();
    }

    [LoggerMessage(EventId = 2020, Level = LogLevel.Warning, Message = "{Program} is missing: {Problem}")]
    private static partial void LogMissing(ILogger logger, string program, string problem);
}
