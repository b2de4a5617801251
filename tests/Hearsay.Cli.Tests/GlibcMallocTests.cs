namespace Hearsay.Cli.Tests;

public class GlibcMallocTests
{
    [Fact]
    public void Configure_OnGlibcLinux_IsTakenByTheCLibrary()
    {
        // The CI machine is Debian, whose C library is glibc: the call must reach mallopt, not fall back silently.
        Assert.True(OperatingSystem.IsLinux());
        Assert.True(File.Exists("/lib/x86_64-linux-gnu/libc.so.6") || File.Exists("/lib/aarch64-linux-gnu/libc.so.6"), "glibc is not this machine's C library");

        Assert.True(GlibcMalloc.Configure());
    }
}
