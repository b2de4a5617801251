using Hearsay.Core.Audio.Input;
using Hearsay.Testing;

namespace Hearsay.Core.Tests.Audio;

/// <summary>
/// <see cref="AudioInputOptions.MaxDuration"/>: judged by the samples decoded, before any is handed out when the input
/// can seek, and never past the limit when it cannot.
/// </summary>
public sealed class DurationLimitTests
{
    private const int Rate = 1000;
    private static readonly TimeSpan TwoHours = TimeSpan.FromHours(2);
    private static readonly long TwoHoursOfFrames = (long)TwoHours.TotalSeconds * Rate;

    [Fact]
    public async Task OpenAsync_SevenHoursOf1kHz8BitWav_IsRefusedBeforeItsSamplesAreRead()
    {
        // 25.2 MB: within the server's 25 MiB upload limit, yet seven hours to decode and transcribe.
        await using var input = new GeneratedWavStream(Rate, channels: 1, frames: 7 * 3600 * Rate, bytesPerSample: 1, seekable: true);

        var error = await Assert.ThrowsAsync<HearsayException>(async () => await AudioDecoder.OpenAsync(input, Limited(TwoHours)));

        Assert.Equal(HearsayErrorCode.AudioTooLong, error.Code);
        Assert.Equal(
            "The audio lasts 7:00:00, longer than the 2-hour limit: split it into shorter parts, or raise --max-audio-duration.", error.Message);
        Assert.True(input.FurthestRead <= BufferedInput.DefaultCapacity, $"read {input.FurthestRead:N0} bytes to refuse it");
    }

    [Fact]
    public async Task ReadAsync_ThreeHoursFromAPipe_HandsOutTheLimitThenFailsReadingNoFurther()
    {
        await using var input = new GeneratedWavStream(Rate, channels: 1, frames: 3 * 3600 * Rate, bytesPerSample: 1);
        await using var reader = await AudioDecoder.OpenAsync(input, Limited(TwoHours));
        long handedOut = 0;

        var error = await Assert.ThrowsAsync<HearsayException>(async () => await DrainAsync(reader, count => handedOut = count));

        Assert.Equal(HearsayErrorCode.AudioTooLong, error.Code);
        Assert.Equal("The audio is longer than the 2-hour limit: split it into shorter parts, or raise --max-audio-duration.", error.Message);
        Assert.Equal(TwoHoursOfFrames, handedOut);
        Assert.InRange(input.FurthestRead, 44 + TwoHoursOfFrames, 44 + TwoHoursOfFrames + BufferedInput.DefaultCapacity);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadAsync_ExactlyAtTheLimit_ReadsEverySample(bool seekable)
    {
        await using var input = new GeneratedWavStream(Rate, channels: 2, frames: 60 * Rate, seekable: seekable);
        await using var reader = await AudioDecoder.OpenAsync(input, Limited(TimeSpan.FromMinutes(1)));

        Assert.Equal(60 * Rate, await DrainAsync(reader));
    }

    [Fact]
    public async Task ReadAsync_ResampledTo16kHz_CountsTheInputsOwnSamples()
    {
        await using var input = new GeneratedWavStream(48000, channels: 1, frames: 48000 * 3, seekable: false);
        await using var reader = await AudioDecoder.OpenAsync(input, Limited(TimeSpan.FromSeconds(3)) with { TargetSampleRate = 16000 });

        Assert.Equal(16000 * 3, await DrainAsync(reader));
    }

    [Fact]
    public async Task OpenAsync_PipedHeaderClaimingHours_IsJudgedByWhatArrives()
    {
        // Writers to a pipe cannot go back to fix the size, so some put a placeholder there: only what arrives counts.
        var file = new WavBytes()
            .Chunk("fmt ", WavBytes.Fmt(1, channels: 1, sampleRate: Rate, bitsPerSample: 16))
            .Chunk("data", WavBytes.Pcm16(new short[Rate]), declaredSize: 0x7FFFFFFF)
            .ToArray();
        await using var input = new ReadOnlyPipeStream(file, 4096);
        await using var reader = await AudioDecoder.OpenAsync(input, Limited(TimeSpan.FromMinutes(1)));

        Assert.Equal(Rate, await DrainAsync(reader));
    }

    [Theory]
    [InlineData(2 * 60 * 60, "2-hour")]
    [InlineData(90 * 60, "90-minute")]
    [InlineData(45, "45-second")]
    [InlineData(1.5, "1.5-second")]
    public void Describe_Duration_ReadsAsAnAdjective(double seconds, string expected) =>
        Assert.Equal(expected, DurationLimit.Describe(TimeSpan.FromSeconds(seconds)));

    private static AudioInputOptions Limited(TimeSpan maximum) => new() { TargetSampleRate = null, UseFfmpeg = false, MaxDuration = maximum };

    private static async Task<long> DrainAsync(MonoAudioReader reader, Action<long>? progress = null)
    {
        var buffer = new float[4096];
        long count = 0;
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            count += read;
            progress?.Invoke(count);
        }

        return count;
    }
}
