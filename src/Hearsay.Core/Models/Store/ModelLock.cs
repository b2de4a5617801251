namespace Hearsay.Core.Models.Store;

/// <summary>
/// A cross-process lock: a lock file opened with <see cref="FileShare.None"/>, which .NET maps to an advisory
/// <c>flock</c> on Unix and a sharing mode on Windows. The operating system releases it when the holder exits, even
/// when killed, so a crashed download never blocks the next one.
/// </summary>
internal sealed class ModelLock : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly FileStream _file;

    private ModelLock(FileStream file) => _file = file;

    public static async Task<ModelLock> AcquireAsync(string path, Action? onWaiting, CancellationToken cancellationToken)
    {
        var waiting = false;
        while (true)
        {
            try
            {
                return new ModelLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Held by another process (or another download in this one): wait for it.
                if (!waiting)
                {
                    waiting = true;
                    onWaiting?.Invoke();
                }

                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (UnauthorizedAccessException e)
            {
                throw StoreErrors.NotWritable(path, e);
            }
        }
    }

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}
