using System.Runtime.InteropServices;

namespace Hearsay.Cli;

/// <summary>
/// The C allocator's settings for this process on Linux. glibc gives threads that allocate at the same time arenas of
/// their own, up to eight per core, and each keeps what was freed in it for later; ONNX Runtime's and the thread
/// pool's threads spread a server's native memory over many of them (ADR 0011). Other platforms' allocators have no
/// such setting and are left as they are.
/// </summary>
internal static partial class GlibcMalloc
{
    /// <summary><c>M_ARENA_MAX</c> in glibc's malloc.h.</summary>
    private const int ArenaMaxParameter = -8;

    /// <summary>
    /// At most two arenas. `serve` with tiny.en and the medium voice, idle / after 10 transcriptions and 10 speeches:
    /// 302 / 487 MiB, against 301-309 / 500-523 without. The runtime's first threads have made arenas before this
    /// runs: MALLOC_ARENA_MAX=2 in the environment, which applies from the start, gave 285-296 / 468-473. Call it first
    /// thing, before the threads that would make arenas of their own.
    /// </summary>
    /// <returns>Whether the C library took the setting (glibc does; elsewhere nothing changes).</returns>
    public static bool LimitArenas()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return MallOpt(ArenaMaxParameter, 2) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A C library without mallopt keeps its own behaviour.
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);
}
