namespace Hearsay.Core.Audio.Input.Flac;

/// <summary>The one wording of a malformed FLAC stream.</summary>
internal static class FlacErrors
{
    public static HearsayException Invalid(string problem) =>
        new(HearsayErrorCode.InvalidInput, $"The audio is not a valid FLAC stream: {problem}.");
}
