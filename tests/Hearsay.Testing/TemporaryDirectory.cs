namespace Hearsay.Testing;

/// <summary>A fresh folder, deleted on dispose. Its name is not ASCII, to catch encoding bugs at native boundaries.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    /// <summary>Creates the folder under the system temp folder.</summary>
    public TemporaryDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"hearsay-tést-声-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    /// <summary>Full path of the folder.</summary>
    public string Path { get; }

    /// <summary>A path inside the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process under test may still hold a file; the OS cleans temp eventually.
        }
    }
}
