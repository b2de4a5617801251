using Hearsay.Core.Models;
using Hearsay.Server.Errors;

namespace Hearsay.Server.Endpoints;

/// <summary>
/// Which <c>model</c> values a request may name: OpenAI's model names stand for the configured model, so an app written
/// for OpenAI works by changing only its base URL; the configured catalog id works as itself.
/// </summary>
internal static class ModelAliases
{
    /// <summary>OpenAI's transcription models.</summary>
    public static readonly IReadOnlyList<string> Stt = ["whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe"];

    /// <summary>OpenAI's speech models.</summary>
    public static readonly IReadOnlyList<string> Tts = ["tts-1", "tts-1-hd", "gpt-4o-mini-tts"];

    /// <summary>OpenAI's voice names, in the order they map onto a multi-speaker voice's speakers.</summary>
    public static readonly IReadOnlyList<string> Voices =
        ["alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse", "marin", "cedar"];

    /// <summary>Checks that <paramref name="requested"/> names the configured model (or is absent, or an alias of it).</summary>
    /// <exception cref="ApiException">400 for a malformed id; 404 for any other model.</exception>
    public static void Check(string? requested, string configured, IReadOnlyList<string> aliases, string option)
    {
        if (string.IsNullOrEmpty(requested) || aliases.Contains(requested, StringComparer.Ordinal) || string.Equals(requested, configured, StringComparison.Ordinal))
        {
            return;
        }

        if (!ModelId.IsValid(requested))
        {
            throw ApiException.Invalid("model", $"'{requested}' is not a model id: ids are letters, digits, '.', '-' and '_', with no path in them.");
        }

        throw ApiException.ModelNotFound(
            "model",
            $"The model '{requested}' is not served here. This server serves '{configured}' (also as {string.Join(", ", aliases)}); start it with {option} {requested} to serve that one.");
    }
}
