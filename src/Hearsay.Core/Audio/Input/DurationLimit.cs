using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Hearsay.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Hearsay.Core.Audio.Input;

/// <summary>
/// The longest audio a decoder hands out (<see cref="AudioInputOptions.MaxDuration"/>), judged by the samples an input
/// holds rather than its size in bytes: 25 MiB hold 7 hours of 1 kHz 8-bit WAV, and under 10 MB of FLAC 100 hours of
/// silence.
/// </summary>
internal sealed class DurationLimit(TimeSpan maximum)
{
    private const int MeasureBlock = 8192;

    public TimeSpan Maximum { get; } = maximum;

    /// <summary>
    /// Opens an input under the limit. An input that can seek is judged before any sample is handed out: by the length
    /// its WAV header or size gives (true there, since it is checked against the size), or else, for the formats ffmpeg
    /// decodes, by decoding it once up to the limit and opening it again from the start. Any input is cut off while it
    /// is read, the moment it passes the limit.
    /// </summary>
    /// <param name="input">The encoded audio, at its first byte.</param>
    /// <param name="open">Opens a decoder over <paramref name="input"/> from where it stands, at the input's own rate.</param>
    /// <param name="logger">Where the measuring pass is logged.</param>
    /// <param name="cancellationToken">Stops opening and measuring.</param>
    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.AudioTooLong"/>, and whatever opening throws.</exception>
    public async ValueTask<MonoAudioReader> OpenAsync(
        Stream input, Func<CancellationToken, ValueTask<MonoAudioReader>> open, ILogger logger, CancellationToken cancellationToken)
    {
        var origin = input.CanSeek ? input.Position : (long?)null;
        var reader = await open(cancellationToken).ConfigureAwait(false);
        if (origin is { } start)
        {
            if (reader.TotalSamples is null)
            {
                await MeasureAsync(reader, logger, cancellationToken).ConfigureAwait(false);
                input.Position = start;
                reader = await open(cancellationToken).ConfigureAwait(false);
            }
            else if (reader.TotalSamples > MaxSamples(reader.SampleRate))
            {
                var length = TimeSpan.FromSeconds((double)reader.TotalSamples.Value / reader.SampleRate);
                await reader.DisposeAsync().ConfigureAwait(false);
                throw TooLong(length);
            }
        }

        return new DurationLimitedReader(reader, this);
    }

    /// <summary>The most samples at <paramref name="sampleRate"/> that fit in the limit.</summary>
    public long MaxSamples(int sampleRate) =>
        (long)Int128.Min((Int128)Maximum.Ticks * sampleRate / TimeSpan.TicksPerSecond, long.MaxValue - 1);

    /// <summary>The error for audio past the limit, saying how long it is when that is known.</summary>
    public HearsayException TooLong(TimeSpan? length = null)
    {
        var lasts = length is { } known
            ? string.Create(CultureInfo.InvariantCulture, $"lasts {(long)known.TotalHours}:{known.Minutes:00}:{known.Seconds:00},")
            : "is";
        return new HearsayException(
            HearsayErrorCode.AudioTooLong,
            $"The audio {lasts} longer than the {Describe(Maximum)} limit: split it into shorter parts, or raise --max-audio-duration.");
    }

    /// <summary>A duration as an adjective: <c>2-hour</c>, <c>90-minute</c>, <c>30-second</c>.</summary>
    internal static string Describe(TimeSpan duration) => duration switch
    {
        _ when duration.Ticks % TimeSpan.TicksPerHour == 0 => string.Create(CultureInfo.InvariantCulture, $"{(long)duration.TotalHours}-hour"),
        _ when duration.Ticks % TimeSpan.TicksPerMinute == 0 => string.Create(CultureInfo.InvariantCulture, $"{(long)duration.TotalMinutes}-minute"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.###}-second"),
    };

    /// <summary>Decodes <paramref name="reader"/> to its end or just past the limit, then disposes it.</summary>
    private async Task MeasureAsync(MonoAudioReader reader, ILogger logger, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var block = ArrayPool<float>.Shared.Rent(MeasureBlock);
        try
        {
            var limited = new DurationLimitedReader(reader, this);
            await using var disposeLimited = limited.ConfigureAwait(false);
            long samples = 0;
            int read;
            while ((read = await limited.ReadAsync(block.AsMemory(0, MeasureBlock), cancellationToken).ConfigureAwait(false)) > 0)
            {
                samples += read;
            }

            Log.AudioMeasured(logger, samples, reader.SampleRate, stopwatch.ElapsedMilliseconds);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(block);
        }
    }
}
