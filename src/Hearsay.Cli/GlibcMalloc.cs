using System.Runtime.InteropServices;

namespace Hearsay.Cli;

/// <summary>
/// The C allocator's settings for this process on Linux (ADR 0011). glibc gives threads that allocate at the same time
/// arenas of their own, up to eight per core, and each keeps what was freed in it for later; and after a large block
/// is freed it raises its threshold for mapping blocks of their own to that size (up to 32 MiB), so later large blocks
/// are carved out of the arenas and stay there. ONNX Runtime's and the thread pool's threads spread a server's native
/// memory over many arenas and keep it. Other platforms' allocators have no such settings and are left as they are.
/// </summary>
internal static partial class GlibcMalloc
{
    /// <summary><c>M_TRIM_THRESHOLD</c> in glibc's malloc.h.</summary>
    private const int TrimThresholdParameter = -1;

    /// <summary><c>M_MMAP_THRESHOLD</c>.</summary>
    private const int MmapThresholdParameter = -3;

    /// <summary><c>M_ARENA_MAX</c>.</summary>
    private const int ArenaMaxParameter = -8;

    /// <summary>
    /// At most two arenas; blocks of 256 KiB and more mapped on their own, so that freeing one gives it back to the
    /// system (a fixed threshold also stops glibc from raising it); an arena's free top beyond 1 MiB given back.
    /// `serve` with tiny.en and the medium voice, idle / through 4 clients for 2 minutes: arenas alone 306 / 487-507 MiB,
    /// all three 281 / 445-462 (the same three as GLIBC_TUNABLES). Call it first thing, before the threads that would
    /// make arenas of their own.
    /// </summary>
    /// <returns>Whether the C library took every setting (glibc does; elsewhere nothing changes).</returns>
    public static bool Configure()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return MallOpt(ArenaMaxParameter, 2) == 1
                & MallOpt(MmapThresholdParameter, 256 * 1024) == 1
                & MallOpt(TrimThresholdParameter, 1024 * 1024) == 1;
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
