namespace Hearsay.Core;

/// <summary>An expected failure in Hearsay, carrying a <see cref="HearsayErrorCode"/> to branch on.</summary>
public class HearsayException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HearsayException(HearsayErrorCode code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>What went wrong.</summary>
    public HearsayErrorCode Code { get; }

    /// <summary>
    /// The option at fault, by its property name (<c>Language</c> of <c>TranscribeOptions</c>), when one is; a server
    /// names the request field it came from.
    /// </summary>
    public string? OptionName { get; init; }
}

/// <summary>A model or voice file is missing or unusable; <see cref="FilePath"/> names it.</summary>
public sealed class ModelLoadException : HearsayException
{
    /// <summary>Creates the exception; the message names the file and the problem.</summary>
    public ModelLoadException(HearsayErrorCode code, string filePath, string problem, Exception? innerException = null)
        : base(code, $"{filePath}: {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file that could not be used.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it, without the path.</summary>
    public string Problem { get; }
}

/// <summary>A capability is unavailable because a program it needs is missing.</summary>
public sealed class DependencyUnavailableException : HearsayException
{
    /// <summary>Creates the exception.</summary>
    public DependencyUnavailableException(string dependency, string message, IReadOnlyList<string> searchedLocations)
        : base(HearsayErrorCode.DependencyMissing, message)
    {
        Dependency = dependency;
        SearchedLocations = searchedLocations;
    }

    /// <summary>The missing program, e.g. <c>espeak-ng</c>.</summary>
    public string Dependency { get; }

    /// <summary>Every place that was looked in, in order.</summary>
    public IReadOnlyList<string> SearchedLocations { get; }
}
