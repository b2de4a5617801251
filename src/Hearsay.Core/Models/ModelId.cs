using System.Text.RegularExpressions;

namespace Hearsay.Core.Models;

/// <summary>
/// Model ids name folders in the store, so they are checked before any path is built from them: no separators, no
/// <c>..</c>, nothing absolute, nothing a file system could read as something else.
/// </summary>
public static partial class ModelId
{
    private const int MaxLength = 128;

    /// <summary>True when <paramref name="id"/> is a well-formed model id.</summary>
    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(id) && !id.Contains("..", StringComparison.Ordinal) && PortableName.IsSafe(id);

    /// <summary>
    /// How a <c>--stt</c>/<c>--tts</c>/<c>--model</c> value is read: an existing file or folder is a path, whatever its
    /// name; anything else that is a well-formed id names a catalog model.
    /// </summary>
    public static bool NamesCatalogModel(string value) => IsValid(value) && !File.Exists(value) && !Directory.Exists(value);

    /// <summary>Throws <see cref="HearsayException"/> (<see cref="HearsayErrorCode.InvalidInput"/>) unless <paramref name="id"/> is valid.</summary>
    public static string Validate(string? id) => IsValid(id)
        ? id!
        : throw new HearsayException(
            HearsayErrorCode.InvalidInput,
            $"'{id}' is not a model id: ids are up to {MaxLength} letters, digits, '.', '_' and '-', start with a letter or digit, never end with '.' or contain '..', and are not a name Windows keeps for a device (CON, NUL, COM1…).");

    // \z, not $: $ also matches before a final line break, which would let "id\n" through.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
