namespace Hearsay.Core.Models.Store;

/// <summary>The store's typed errors for file-system failures, with the path and what to do.</summary>
internal static class StoreErrors
{
    // ENOSPC on Unix; ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL on Windows.
    private static readonly int[] DiskFullCodes = [28, unchecked((int)0x80070070), unchecked((int)0x80070027)];

    public static bool IsDiskFull(IOException e) =>
        DiskFullCodes.Contains(e.HResult) || DiskFullCodes.Contains(e.HResult & 0xFFFF);

    public static HearsayException NotWritable(string path, Exception inner) => new(
        HearsayErrorCode.StoreNotWritable,
        $"The model store cannot be written at {path} ({inner.Message}); choose another folder with --models-dir or {ModelStore.EnvironmentVariable}.",
        inner);

    public static HearsayException DiskFull(string path, long needed, Exception? inner = null) => new(
        HearsayErrorCode.InsufficientStorage,
        $"Not enough disk space for the model at {path}: {needed:N0} more bytes are needed. Free some space or choose another folder with --models-dir or {ModelStore.EnvironmentVariable}.",
        inner);
}
