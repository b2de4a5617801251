using System.Globalization;

namespace Hearsay.Testing;

/// <summary>A child process's memory as Linux reports it in <c>/proc/PID/status</c>.</summary>
public static class ProcessStatus
{
    /// <summary>The field (<c>VmRSS:</c>, <c>VmHWM:</c>) in MiB; throws when the process has no such line.</summary>
    public static double MiB(int processId, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var kib = long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kib / 1024.0;
            }
        }

        throw new InvalidOperationException($"No {field} for process {processId}.");
    }
}
