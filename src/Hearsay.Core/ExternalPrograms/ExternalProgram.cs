using Hearsay.Core.Tts.Phonemization.Portable;

namespace Hearsay.Core.ExternalPrograms;

/// <summary>
/// One external program Hearsay runs as a child process, and everything Hearsay knows about it: the variable that
/// names it, how it tells its version, what it is for, what its absence disables and what to install.
/// <see cref="All"/> is the whole table. Programs run out of process so their GPL code never becomes part of Hearsay.
/// </summary>
public sealed class ExternalProgram
{
    private readonly Func<string, string> _notFound;

    private ExternalProgram(
        string name,
        string environmentVariable,
        string versionArgument,
        string usedFor,
        string disables,
        bool requiredForTextToSpeech,
        Func<string, string> notFound,
        IReadOnlyList<string> installDirectories,
        Func<string, string>? bundledAlternative = null)
    {
        InstallDirectories = installDirectories;
        BundledAlternative = bundledAlternative;
        Name = name;
        EnvironmentVariable = environmentVariable;
        VersionArgument = versionArgument;
        UsedFor = usedFor;
        Disables = disables;
        RequiredForTextToSpeech = requiredForTextToSpeech;
        _notFound = notFound;
    }

    /// <summary>espeak-ng: text to phonemes for text-to-speech, which cannot work without it (ADR 0001).</summary>
    public static ExternalProgram EspeakNg { get; } = new(
        "espeak-ng",
        "HEARSAY_ESPEAK_NG",
        "--version",
        "Turns text into phonemes for text-to-speech; without it there is no text-to-speech.",
        "text-to-speech is unavailable.",
        requiredForTextToSpeech: true,
        where => $"TTS unavailable: espeak-ng not found ({where}). Install it (Debian/Ubuntu: apt-get install espeak-ng; " +
                 "Fedora: dnf install espeak-ng; macOS: brew install espeak-ng; Windows: the espeak-ng .msi from " +
                 "github.com/espeak-ng/espeak-ng/releases), or set HEARSAY_ESPEAK_NG to the program's path.",
        InstallDirectoriesFor(windowsFolder: "eSpeak NG"),
        PortableEspeakNgBundle.ModulePathBeside);

    /// <summary>The audio formats Hearsay reads in-process (<c>AudioDecoder</c>), in words for help texts and messages.</summary>
    public const string InProcessAudioFormats = "WAV, FLAC, MP3, Ogg, WebM and raw PCM";

    /// <summary>
    /// ffmpeg, optional: audio formats Hearsay neither reads nor writes itself (such as AAC/M4A in, mp3/aac/flac out);
    /// <see cref="InProcessAudioFormats"/> are read without it.
    /// </summary>
    public static ExternalProgram Ffmpeg { get; } = new(
        "ffmpeg",
        "HEARSAY_FFMPEG",
        "-version",
        "Optional: decodes uploaded audio in other formats, such as AAC/M4A, and encodes speech as mp3, aac and flac; " +
        $"{InProcessAudioFormats} work without it.",
        $"uploads in other formats than {InProcessAudioFormats} (such as AAC/M4A) cannot be read, and speech cannot be " +
        "encoded as mp3, aac or flac.",
        requiredForTextToSpeech: false,
        where => $"ffmpeg not found ({where}). It is optional: without it, uploads in formats other than " +
                 $"{InProcessAudioFormats} (such as AAC/M4A) cannot be read, and speech cannot be encoded as mp3, aac " +
                 "or flac. To add those, install it " +
                 "(Debian/Ubuntu: apt-get install ffmpeg; Fedora: dnf install ffmpeg-free; macOS: brew install ffmpeg; " +
                 "Windows: winget install ffmpeg), or set HEARSAY_FFMPEG to the program's path.",
        InstallDirectoriesFor(windowsFolder: null));

    /// <summary>Every program Hearsay runs, in the order reports list them.</summary>
    public static IReadOnlyList<ExternalProgram> All { get; } = [EspeakNg, Ffmpeg];

    /// <summary>The program's name without extension, e.g. <c>ffmpeg</c>.</summary>
    public string Name { get; }

    /// <summary>The environment variable that names the program, e.g. <c>HEARSAY_FFMPEG</c>.</summary>
    public string EnvironmentVariable { get; }

    /// <summary>The argument it answers with its version banner.</summary>
    public string VersionArgument { get; }

    /// <summary>What Hearsay uses it for, in a sentence for people.</summary>
    public string UsedFor { get; }

    /// <summary>What its absence disables, as the end of a sentence.</summary>
    public string Disables { get; }

    /// <summary>Whether text-to-speech cannot work without it; the others only widen what works.</summary>
    public bool RequiredForTextToSpeech { get; }

    /// <summary>
    /// Folders installers put the program in that an app may not have on its <c>PATH</c> (one started from the macOS
    /// Finder does not see Homebrew's), searched after <c>PATH</c>.
    /// </summary>
    public IReadOnlyList<string> InstallDirectories { get; }

    /// <summary>
    /// Finds a copy shipped with Hearsay that stands in for the program, searched after its variable and before the
    /// program beside <c>hearsay</c>: for espeak-ng, the portable phonemizer's module (ADR 0010). Given the Hearsay
    /// binary's folder, it returns where the copy would be.
    /// </summary>
    internal Func<string, string>? BundledAlternative { get; }

    /// <summary>The file name searched for: the name, with <c>.exe</c> on Windows.</summary>
    public string ExecutableName => OperatingSystem.IsWindows() ? Name + ".exe" : Name;

    /// <summary>Why it is missing, what that disables and what to do, from where it was looked for.</summary>
    internal string NotFoundMessage(string where) => _notFound(where);

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Homebrew's folders on macOS; the program's folder under Program Files on Windows; none elsewhere.</summary>
    private static string[] InstallDirectoriesFor(string? windowsFolder)
    {
        if (OperatingSystem.IsMacOS())
        {
            return ["/opt/homebrew/bin", "/usr/local/bin"];
        }

        if (!OperatingSystem.IsWindows() || windowsFolder is null)
        {
            return [];
        }

        return [.. new[] { Environment.SpecialFolder.ProgramFiles, Environment.SpecialFolder.ProgramFilesX86 }
            .Select(folder => Environment.GetFolderPath(folder, Environment.SpecialFolderOption.DoNotVerify))
            .Where(folder => folder.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(folder => Path.Combine(folder, windowsFolder))];
    }
}
