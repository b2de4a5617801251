namespace Hearsay.Core.Models;

/// <summary>
/// What makes a name that is already restricted to letters, digits and a little punctuation mean the same file on every
/// platform: Windows opens a device instead of a file for its reserved names, whatever the case and extension
/// (<c>NUL.txt</c> is <c>NUL</c>), and drops a trailing dot (<c>model.</c> is <c>model</c>).
/// </summary>
internal static class PortableName
{
    private static readonly HashSet<string> WindowsDevices = new(
        ["CON", "PRN", "AUX", "NUL", .. Enumerable.Range(0, 10).SelectMany(digit => new[] { $"COM{digit}", $"LPT{digit}" })],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="name"/> is neither a Windows device name nor read as another name there.</summary>
    public static bool IsSafe(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return !name.EndsWith('.') && !WindowsDevices.Contains(dot < 0 ? name : name[..dot]);
    }
}
