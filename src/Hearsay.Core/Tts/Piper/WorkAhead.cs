namespace Hearsay.Core.Tts.Piper;

/// <summary>Work a stream started ahead of its caller: phonemes of the next batch, the audio of the next piece.</summary>
internal static class WorkAhead
{
    /// <summary>
    /// Stops <paramref name="pending"/>, which nobody will take (the caller stopped reading, or something before it
    /// failed), and observes its outcome, so its result or failure is not left unobserved.
    /// </summary>
    public static async Task AbandonAsync(Task? pending, CancellationTokenSource cancellation)
    {
        if (pending is null)
        {
            return;
        }

        await cancellation.CancelAsync().ConfigureAwait(false);
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or HearsayException)
        {
            // Nobody is waiting for this work: its result or failure no longer matters.
        }
    }
}
