namespace Hearsay.Core.Models.Store;

/// <summary>The store's typed errors for file-system failures, with the path and what to do.</summary>
internal static class StoreErrors
{
    // ENOSPC on Unix; ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL on Windows.
    private static readonly int[] DiskFullCodes = [28, unchecked((int)0x80070070), unchecked((int)0x80070027)];

    public static bool IsDiskFull(IOException e) =>
        DiskFullCodes.Contains(e.HResult) || DiskFullCodes.Contains(e.HResult & 0xFFFF);

    /// <summary>Runs a change to the store, turning file-system failures into the store's typed errors.</summary>
    /// <param name="path">What is being changed, for the message.</param>
    /// <param name="needed">Bytes the change needs, for the disk-full message.</param>
    /// <param name="change">The change.</param>
    public static T Guard<T>(string path, long needed, Func<T> change)
    {
        try
        {
            return change();
        }
        catch (IOException e) when (IsDiskFull(e))
        {
            throw DiskFull(path, needed, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(path, e);
        }
    }

    /// <inheritdoc cref="Guard{T}(string, long, Func{T})"/>
    public static void Guard(string path, long needed, Action change) => Guard(path, needed, () =>
    {
        change();
        return true;
    });

    public static HearsayException NotWritable(string path, Exception inner) => new(
        HearsayErrorCode.StoreNotWritable,
        $"The model store cannot be written at {path} ({inner.Message}); choose another folder with --models-dir or {ModelStore.EnvironmentVariable}.",
        inner);

    public static HearsayException DiskFull(string path, long needed, Exception? inner = null) => new(
        HearsayErrorCode.InsufficientStorage,
        $"Not enough disk space for the model at {path}: {ByteSize.Format(needed)} more is needed. Free some space or choose another folder with --models-dir or {ModelStore.EnvironmentVariable}.",
        inner);
}
