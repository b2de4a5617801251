namespace Hearsay.Core.Audio;

/// <summary>The names, content types and requirements of each <see cref="AudioFormat"/>, as OpenAI's speech API uses them.</summary>
public static class AudioFormats
{
    /// <summary>The API names, as <c>response_format</c> takes them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mp3", "opus", "aac", "flac", "wav", "pcm"];

    /// <summary>Parses an API name (<c>mp3</c>); exact and lower-case, as OpenAI's API accepts them.</summary>
    /// <param name="apiName">The name.</param>
    /// <param name="format">The format, when the name is known.</param>
    public static bool TryParse(string? apiName, out AudioFormat format)
    {
        AudioFormat? parsed = apiName switch
        {
            "wav" => AudioFormat.Wav,
            "pcm" => AudioFormat.Pcm,
            "mp3" => AudioFormat.Mp3,
            "opus" => AudioFormat.Opus,
            "aac" => AudioFormat.Aac,
            "flac" => AudioFormat.Flac,
            _ => null,
        };
        format = parsed.GetValueOrDefault();
        return parsed is not null;
    }

    /// <summary>The API name of <paramref name="format"/> (<c>mp3</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a defined value.</exception>
    public static string Name(AudioFormat format) => format switch
    {
        AudioFormat.Wav => "wav",
        AudioFormat.Pcm => "pcm",
        AudioFormat.Mp3 => "mp3",
        AudioFormat.Opus => "opus",
        AudioFormat.Aac => "aac",
        AudioFormat.Flac => "flac",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown audio format."),
    };

    /// <summary>The HTTP content type OpenAI answers each format with (<c>audio/ogg</c> for Opus, whose container is Ogg).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a defined value.</exception>
    public static string ContentType(AudioFormat format) => format switch
    {
        AudioFormat.Wav => "audio/wav",
        AudioFormat.Pcm => "audio/pcm",
        AudioFormat.Mp3 => "audio/mpeg",
        AudioFormat.Opus => "audio/ogg",
        AudioFormat.Aac => "audio/aac",
        AudioFormat.Flac => "audio/flac",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown audio format."),
    };

    /// <summary>
    /// Whether writing <paramref name="format"/> needs the ffmpeg program: true for mp3, AAC and FLAC, false for WAV,
    /// raw PCM and Ogg Opus, which Hearsay writes itself.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a defined value.</exception>
    public static bool NeedsFfmpeg(AudioFormat format) => format switch
    {
        AudioFormat.Wav or AudioFormat.Pcm or AudioFormat.Opus => false,
        AudioFormat.Mp3 or AudioFormat.Aac or AudioFormat.Flac => true,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown audio format."),
    };
}
