namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>The wording of MP3 input errors, in one place.</summary>
internal static class Mp3Errors
{
    public static HearsayException Invalid(string problem, Exception? inner = null) =>
        new(HearsayErrorCode.InvalidInput, $"The audio is not a valid MP3 file: {problem}.", inner);

    public static HearsayException FreeFormat() =>
        new(HearsayErrorCode.UnsupportedFormat,
            "The MP3 uses a free-format bit rate (its frame headers give no bit rate), which Hearsay does not decode. " +
            "Re-encode it at a standard bit rate, or convert it to WAV or FLAC.");
}
