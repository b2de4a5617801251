using Hearsay.Core.Audio.Input;
using Hearsay.Testing;

namespace Hearsay.Core.Tests.Audio;

/// <summary>Long inputs stream through in bounded memory: nothing holds the whole input or output.</summary>
public sealed class LongInputTests
{
    // A non-streaming decoder would allocate the input (1.38 GB for two hours) or the output (1.38 GB of floats).
    private const long AllocationBudgetBytes = 4 * 1024 * 1024;

    [Fact]
    public async Task ReadAsync_TwoHours48kHzStereo_StreamsInBoundedMemory()
    {
        const int rate = 48000;
        const long frames = 2L * 60 * 60 * rate;
        await using var input = new GeneratedWavStream(rate, channels: 2, frames);

        var (count, allocated, peak) = await DrainAsync(input, new AudioInputOptions { TargetSampleRate = null, UseFfmpeg = false });

        Assert.Equal(frames, count);
        Assert.True(allocated < AllocationBudgetBytes, $"allocated {allocated:N0} bytes");
        Assert.InRange(peak, 0.49f, 0.51f);
    }

    [Fact]
    public async Task ReadAsync_TenMinutesResampledTo16kHz_StreamsInBoundedMemory()
    {
        const int rate = 48000;
        const long frames = 10L * 60 * rate;
        await using var input = new GeneratedWavStream(rate, channels: 2, frames);

        var (count, allocated, peak) = await DrainAsync(input, new AudioInputOptions { UseFfmpeg = false });

        Assert.Equal(frames / 3, count);
        Assert.True(allocated < AllocationBudgetBytes, $"allocated {allocated:N0} bytes");
        // The square wave's edges ring after band-limiting (Gibbs), so the peak is a little over 0.5.
        Assert.InRange(peak, 0.45f, 0.6f);
    }

    private static async Task<(long Count, long Allocated, float Peak)> DrainAsync(Stream input, AudioInputOptions options)
    {
        // Every read completes synchronously on the generated stream, so this thread's counter sees every allocation.
        // (The process's counter does not do: under load it also counted megabytes that other tests' leftover work
        // allocated meanwhile.)
        var thread = Environment.CurrentManagedThreadId;
        var before = GC.GetAllocatedBytesForCurrentThread();
        await using var reader = await AudioDecoder.OpenAsync(input, options);
        var buffer = new float[8192];
        long count = 0;
        var peak = 0f;
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            count += read;
            peak = Math.Max(peak, buffer[read - 1]);
        }

        Assert.Equal(count, reader.TotalSamples);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(thread == Environment.CurrentManagedThreadId, "A read completed asynchronously: this thread's counter missed allocations.");
        return (count, allocated, peak);
    }
}
