using System.Diagnostics;

namespace Hearsay.Testing;

/// <summary>Waits for something another process or thread makes true.</summary>
public static class Poll
{
    /// <summary>Returns once <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>As <see cref="UntilAsync(Func{bool}, TimeSpan, string)"/>, for a condition that has to ask (a server's status).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.");
            }

            await Task.Delay(100);
        }
    }
}
