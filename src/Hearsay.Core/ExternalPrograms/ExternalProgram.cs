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
        string name, string environmentVariable, string versionArgument, string usedFor, string disables, bool requiredForTextToSpeech, Func<string, string> notFound)
    {
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
                 "github.com/espeak-ng/espeak-ng/releases), or set HEARSAY_ESPEAK_NG to the program's path.");

    /// <summary>ffmpeg: audio formats Hearsay neither reads nor writes natively; without it WAV and raw PCM still work.</summary>
    public static ExternalProgram Ffmpeg { get; } = new(
        "ffmpeg",
        "HEARSAY_FFMPEG",
        "-version",
        "Decodes uploaded audio other than WAV and raw PCM, and encodes speech as mp3, opus, aac and flac; without it only WAV and PCM work.",
        "only WAV and raw PCM audio can be read and written.",
        requiredForTextToSpeech: false,
        where => $"ffmpeg not found ({where}); audio other than WAV and raw PCM can be neither decoded nor encoded. Install it " +
                 "(Debian/Ubuntu: apt-get install ffmpeg; Fedora: dnf install ffmpeg-free; macOS: brew install ffmpeg; " +
                 "Windows: winget install ffmpeg), or set HEARSAY_FFMPEG to the program's path.");

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

    /// <summary>The file name searched for: the name, with <c>.exe</c> on Windows.</summary>
    public string ExecutableName => OperatingSystem.IsWindows() ? Name + ".exe" : Name;

    /// <summary>Why it is missing, what that disables and what to do, from where it was looked for.</summary>
    internal string NotFoundMessage(string where) => _notFound(where);

    /// <inheritdoc />
    public override string ToString() => Name;
}
