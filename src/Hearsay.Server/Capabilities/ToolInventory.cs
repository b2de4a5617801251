using Hearsay.Contracts.Status;
using Hearsay.Core.ExternalPrograms;
using Microsoft.Extensions.Logging;

namespace Hearsay.Server.Capabilities;

/// <summary>
/// The external programs the server runs (espeak-ng, ffmpeg), for the status: where each is, from the server's one
/// <see cref="ExternalTools"/>, and the version it reports, asked in the background each time it is found somewhere
/// new (which also proves it starts). <see cref="Refresh"/> looks again, so a program installed while the server runs
/// shows without a restart.
/// </summary>
internal sealed partial class ToolInventory
{
    private readonly ExternalTools _tools;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private IReadOnlyList<ExternalTool> _current;

    public ToolInventory(ExternalTools tools, ILogger<ToolInventory> logger)
    {
        _tools = tools;
        _logger = logger;
        _current = tools.All;
        Check(_current);
    }

    /// <summary>Fires when a program is found, moved or lost, and when its version is in.</summary>
    public event Action? Changed;

    /// <summary>The programs as last found and checked.</summary>
    public IReadOnlyList<ToolStatus> Current
    {
        get
        {
            lock (_gate)
            {
                return [.. _current.Select(ToStatus)];
            }
        }
    }

    /// <summary>Looks again; cheap, since <see cref="ExternalTools"/> looks at files at most every couple of seconds.</summary>
    public void Refresh()
    {
        List<ExternalTool> moved;
        lock (_gate)
        {
            var found = _tools.All;
            moved = [.. found.Where((tool, index) => !SamePlace(tool, _current[index]))];
            if (moved.Count == 0)
            {
                return;
            }

            _current = [.. found.Select((tool, index) => SamePlace(tool, _current[index]) ? _current[index] : tool)];
        }

        Check(moved);
        Changed?.Invoke();
    }

    private static bool SamePlace(ExternalTool found, ExternalTool known) =>
        found.ExecutablePath == known.ExecutablePath && (found.ExecutablePath is not null || found.Problem == known.Problem);

    private static ToolStatus ToStatus(ExternalTool tool) =>
        new(tool.Name, tool.Found, tool.ExecutablePath, tool.Version, tool.UsedFor, tool.Problem);

    private void Check(IReadOnlyList<ExternalTool> located) => _ = Task.Run(() => CheckAsync(located));

    private async Task CheckAsync(IReadOnlyList<ExternalTool> located)
    {
        var checkedTools = await Task.WhenAll(located.Select(tool => ExternalTools.WithVersionAsync(tool)));
        var updated = false;
        lock (_gate)
        {
            foreach (var tool in checkedTools)
            {
                // A program found somewhere else meanwhile keeps that finding: its own check is on the way.
                var known = _current.Single(candidate => candidate.Program == tool.Program);
                if (SamePlace(tool, known))
                {
                    _current = [.. _current.Select(candidate => candidate == known ? tool : candidate)];
                    updated = true;
                }
            }
        }

        foreach (var tool in checkedTools)
        {
            if (tool.Found)
            {
                LogFound(_logger, tool.Name, tool.ExecutablePath!, tool.Version ?? "unknown");
            }
            else
            {
                LogMissing(_logger, tool.Name, tool.Problem!);
            }
        }

        if (updated)
        {
            Changed?.Invoke();
        }
    }

    [LoggerMessage(EventId = 2020, Level = LogLevel.Warning, Message = "{Program} is missing: {Problem}")]
    private static partial void LogMissing(ILogger logger, string program, string problem);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Debug, Message = "{Program} {Version} found at {Path}")]
    private static partial void LogFound(ILogger logger, string program, string path, string version);
}
