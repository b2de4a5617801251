using System.Runtime.InteropServices;

namespace Hearsay.Cli;

/// <summary>
/// What a redirected standard input is. A pipe from a host app ends when the app closes it or dies; <c>/dev/null</c>
/// (a service manager, <c>docker run</c> without <c>-i</c>) ends at once and says nothing about anyone.
/// </summary>
internal static partial class StandardInput
{
    private const int StdInputHandle = -10;
    private const uint FileTypePipe = 3;

    public static bool IsPipe()
    {
        if (OperatingSystem.IsWindows())
        {
            return GetFileType(GetStdHandle(StdInputHandle)) == FileTypePipe;
        }

        if (OperatingSystem.IsLinux())
        {
            var target = new FileInfo("/proc/self/fd/0").LinkTarget ?? "";
            return target.StartsWith("pipe:", StringComparison.Ordinal) || target.StartsWith("socket:", StringComparison.Ordinal);
        }

        // macOS has no /proc to ask: a redirected input counts as a pipe ('serve --no-stdin-watch' opts out).
        return true;
    }

    [LibraryImport("kernel32.dll")]
    private static partial nint GetStdHandle(int handle);

    [LibraryImport("kernel32.dll")]
    private static partial uint GetFileType(nint file);
}
