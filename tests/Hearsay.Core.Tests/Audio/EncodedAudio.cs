using Hearsay.Core.Audio.Input;
using Hearsay.Testing;

namespace Hearsay.Core.Tests.Audio;

/// <summary>The committed encodes of real clips (tests/assets/audio/encoded) and how the decoder tests read them.</summary>
internal static class EncodedAudio
{
    /// <summary>In-process decoding only: a test that passes with this needed no ffmpeg.</summary>
    public static readonly AudioInputOptions WithoutFfmpeg = new() { TargetSampleRate = null, UseFfmpeg = false };

    public static string PathOf(string name) => TestPaths.RepoAsset("audio", "encoded", name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    /// <summary>An ID3v2.4 tag header declaring <paramref name="size"/> bytes of frames (synchsafe).</summary>
    public static byte[] Id3Tag(int size) =>
        [.. "ID3"u8, 4, 0, 0, (byte)((size >> 21) & 0x7F), (byte)((size >> 14) & 0x7F), (byte)((size >> 7) & 0x7F), (byte)(size & 0x7F)];

    /// <summary>
    /// ffmpeg's mono decode of the file (<see cref="FfmpegReference"/>) on Hearsay's scale. ffmpeg's <c>-ac 1</c> sums
    /// stereo with √½ on each side (its default rematrix, not normalised for float output); Hearsay averages the
    /// channels, as its WAV path does, so a stereo reference is scaled by √½ to match.
    /// </summary>
    public static async Task<float[]> ReferenceMonoAsync(string name, int channels)
    {
        var reference = await FfmpegReference.DecodeMonoAsync(PathOf(name));
        return channels == 2 ? [.. reference.Select(sample => (float)(sample * Math.Sqrt(0.5)))] : reference;
    }

    /// <summary>Decodes <paramref name="file"/> through <see cref="AudioDecoder"/> from a pipe (no seeking, short reads).</summary>
    public static async Task<(float[] Samples, int SampleRate)> DecodeAsync(byte[] file, int maxRead = 1000)
    {
        await using var reader = await AudioDecoder.OpenAsync(new ReadOnlyPipeStream(file, maxRead), WithoutFfmpeg);
        var samples = await reader.ReadAllAsync(100_000_000);
        return (samples, reader.SampleRate);
    }

    /// <summary>Decoding <paramref name="file"/> fails with <paramref name="code"/>; returns the error for its message.</summary>
    public static async Task<HearsayException> FailsAsync(byte[] file, HearsayErrorCode code = HearsayErrorCode.InvalidInput)
    {
        var error = await Assert.ThrowsAnyAsync<HearsayException>(() => DecodeAsync(file));
        Assert.Equal(code, error.Code);
        return error;
    }
}
