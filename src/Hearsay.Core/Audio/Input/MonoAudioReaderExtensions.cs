using System.Globalization;

namespace Hearsay.Core.Audio.Input;

/// <summary>Conveniences over <see cref="MonoAudioReader"/>.</summary>
public static class MonoAudioReaderExtensions
{
    /// <summary>Reads everything that is left into one array, for inputs known to be small.</summary>
    /// <param name="reader">The reader; it is not disposed.</param>
    /// <param name="maxSamples">The most samples accepted, e.g. 30 minutes at 16 kHz.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <exception cref="HearsayException">
    /// <see cref="HearsayErrorCode.InvalidInput"/> when the audio is longer than <paramref name="maxSamples"/> (found out
    /// before reading it when the length is known), or any error <see cref="MonoAudioReader.ReadAsync"/> throws.
    /// </exception>
    public static async ValueTask<float[]> ReadAllAsync(this MonoAudioReader reader, long maxSamples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSamples);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSamples, Array.MaxLength);
        if (reader.TotalSamples > maxSamples)
        {
            throw TooLong(reader, maxSamples);
        }

        var samples = new float[(int)Math.Min(reader.TotalSamples ?? 16 * 1024, maxSamples)];
        var count = 0;
        while (true)
        {
            if (count == samples.Length)
            {
                // Full: look one sample ahead before growing. When the length was known this is the end, and the array
                // is returned as it is, with no doubling and no trimming copy of a long recording.
                var probe = new float[1];
                if (await reader.ReadAsync(probe, cancellationToken).ConfigureAwait(false) == 0)
                {
                    break;
                }

                if (count == maxSamples)
                {
                    throw TooLong(reader, maxSamples);
                }

                Array.Resize(ref samples, (int)Math.Min(Math.Max(samples.Length * 2L, 16 * 1024), maxSamples));
                samples[count++] = probe[0];
                continue;
            }

            var read = await reader.ReadAsync(samples.AsMemory(count), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            count += read;
        }

        return count == samples.Length ? samples : samples[..count];
    }

    private static HearsayException TooLong(MonoAudioReader reader, long maxSamples) => new(
        HearsayErrorCode.InvalidInput,
        string.Create(
            CultureInfo.InvariantCulture,
            $"The audio is longer than the limit of {maxSamples} samples ({(double)maxSamples / reader.SampleRate:0.##} s at {reader.SampleRate} Hz)."));
}
