using Hearsay.Core.Audio.Input.Matroska;
using Hearsay.Core.Audio.Ogg;

namespace Hearsay.Core.Audio.Input;

/// <summary>The compressed containers decoded in-process, by the name <see cref="AudioDecoder.Describe"/> gives them.</summary>
internal static class CompressedAudio
{
    /// <summary>Reads a container's headers; returns the decoder and a description for the log.</summary>
    public delegate ValueTask<(MonoAudioReader Reader, string Description)> Open(BufferedInput input, CancellationToken cancellationToken);

    /// <summary>The opener for <paramref name="container"/>; null when it only goes to ffmpeg.</summary>
    public static Open? Opener(string container) => container switch
    {
        "Ogg" => OggAudio.OpenAsync,
        "WebM/Matroska" => MatroskaAudio.OpenAsync,
        _ => null,
    };
}
