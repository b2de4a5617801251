namespace Hearsay.Testing;

/// <summary>Writes small shell scripts that stand in for external programs that misbehave.</summary>
public static class FakeProgram
{
    /// <summary>Creates an executable script <paramref name="name"/> in <paramref name="folder"/> running <paramref name="body"/>.</summary>
    public static string Create(TemporaryDirectory folder, string name, string body)
    {
        var path = folder.File(name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Fake programs are shell scripts.");
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
