using System.Globalization;
using Hearsay.Core.Audio.Input.Flac;
using Hearsay.Core.Audio.Input.Mp3;
using Hearsay.Core.Diagnostics;
using Hearsay.Core.ExternalPrograms;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hearsay.Core.Audio.Input;

/// <summary>
/// Opens audio for reading as mono float samples. WAV (RIFF and RF64), FLAC, MP3, raw PCM, and Opus and Vorbis in Ogg
/// or WebM/Matroska are decoded in-process; anything else goes through ffmpeg when it is available (DESIGN decision 10,
/// issue 15).
/// </summary>
public static class AudioDecoder
{
    /// <summary>What is accepted, for error messages.</summary>
    internal static readonly string AcceptedFormats =
        "Hearsay reads WAV (8/16/24/32-bit PCM, 32/64-bit float, A-law, µ-law; any rate and channel count), FLAC, MP3, " +
        "raw s16le PCM with a given sample rate, and Opus or Vorbis (mono or stereo) in Ogg or WebM/Matroska natively. " +
        "Other formats (m4a/aac...) need ffmpeg: " +
        "install it (e.g. apt-get install ffmpeg) or set " + ExternalProgram.Ffmpeg.EnvironmentVariable + " to its path.";

    /// <summary>
    /// Sniffs <paramref name="input"/> and opens a reader over it: RIFF/WAVE and RF64 natively; raw s16le PCM when
    /// <see cref="AudioInputOptions.RawPcmSampleRate"/> is set; anything else through ffmpeg when it is found. The
    /// samples come out at <see cref="AudioInputOptions.TargetSampleRate"/> when it is set.
    /// </summary>
    /// <param name="input">
    /// The encoded audio, from its first byte. It need not seek (stdin, a request body): only a small prefix is buffered
    /// to sniff it. It must stay open while the reader is used; the reader does not dispose it.
    /// </param>
    /// <param name="options">Target rate, raw PCM parameters, ffmpeg.</param>
    /// <param name="cancellationToken">Stops reading the header (and ffmpeg).</param>
    /// <exception cref="HearsayException">
    /// <see cref="HearsayErrorCode.InvalidInput"/> for empty or malformed audio, or raw PCM parameters out of range;
    /// <see cref="HearsayErrorCode.UnsupportedFormat"/> for a format not read natively when ffmpeg is not available
    /// (the message says what is accepted); <see cref="HearsayErrorCode.DependencyFailed"/> when ffmpeg fails to run;
    /// <see cref="HearsayErrorCode.AudioTooLong"/> when <paramref name="input"/> can seek and lasts longer than
    /// <see cref="AudioInputOptions.MaxDuration"/>.
    /// </exception>
    /// <exception cref="DependencyUnavailableException">
    /// <see cref="AudioInputOptions.FfmpegPath"/> or <c>HEARSAY_FFMPEG</c> names a file that does not exist.
    /// </exception>
    public static ValueTask<MonoAudioReader> OpenAsync(Stream input, AudioInputOptions options, CancellationToken cancellationToken = default) =>
        OpenAsync(input, options, new FfmpegLocator(), cancellationToken);

    /// <summary>Opens a file; see <see cref="OpenAsync(Stream, AudioInputOptions, CancellationToken)"/>. The reader owns the file.</summary>
    /// <param name="path">The audio file.</param>
    /// <param name="options">Target rate, raw PCM parameters, ffmpeg.</param>
    /// <param name="cancellationToken">Stops reading the header (and ffmpeg).</param>
    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.InvalidInput"/> when the file does not exist, and as for the stream overload.</exception>
    public static async ValueTask<MonoAudioReader> OpenFileAsync(string path, AudioInputOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new HearsayException(HearsayErrorCode.InvalidInput, $"The audio file {path} does not exist.", e);
        }

        try
        {
            var reader = await OpenAsync(file, options, cancellationToken).ConfigureAwait(false);
            return new OwningReader(reader, file);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    internal static async ValueTask<MonoAudioReader> OpenAsync(
        Stream input, AudioInputOptions options, FfmpegLocator ffmpeg, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        ValidateOptions(options);
        var logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger(typeof(AudioDecoder).FullName!);
        var reader = options.MaxDuration is { } maxDuration
            ? await new DurationLimit(maxDuration).OpenAsync(
                input, token => OpenSourceAsync(input, options, ffmpeg, logger, token), logger, cancellationToken).ConfigureAwait(false)
            : await OpenSourceAsync(input, options, ffmpeg, logger, cancellationToken).ConfigureAwait(false);

        if (options.TargetSampleRate is { } target && target != reader.SampleRate)
        {
            var resampling = new ResamplingReader(reader, target);
            Log.Resampling(logger, reader.SampleRate, target, resampling.Resampler.Phases, resampling.Resampler.Taps);
            return resampling;
        }

        return reader;
    }

    /// <summary>Opens a decoder over <paramref name="input"/> from where it stands, at the input's own rate.</summary>
    private static async ValueTask<MonoAudioReader> OpenSourceAsync(
        Stream input, AudioInputOptions options, FfmpegLocator ffmpeg, ILogger logger, CancellationToken cancellationToken)
    {
        long? inputLength = input.CanSeek ? Math.Max(0, input.Length - input.Position) : null;
        var buffered = new BufferedInput(input);
        if (options.RawPcmSampleRate is { } rawRate)
        {
            Log.RawPcmOpened(logger, options.RawPcmChannels, rawRate);
            return new PcmAudioReader(buffered, new PcmLayout(PcmEncoding.SignedInteger, 2, options.RawPcmChannels), rawRate, inputLength);
        }

        if (await buffered.FillAsync(12, cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new HearsayException(HearsayErrorCode.InvalidInput, "The audio input is empty.");
        }

        if (WavParser.IsWav(buffered.Buffered))
        {
            return await OpenWavAsync(buffered, inputLength, options, ffmpeg, logger, cancellationToken).ConfigureAwait(false);
        }

        // ID3v2 tags come before MP3, and some taggers put them before FLAC too: skipped, then the content decides.
        var tagBytes = Id3v2Tag.StartsWithTag(buffered.Buffered)
            ? await Id3v2Tag.SkipAllAsync(buffered, cancellationToken).ConfigureAwait(false)
            : 0;
        await buffered.FillAsync(12, cancellationToken).ConfigureAwait(false);

        // FLAC and MP3 are decoded in-process even when ffmpeg is there (issue 15).
        if (FlacMetadataReader.IsFlac(buffered.Buffered))
        {
            var flac = await FlacAudioReader.OpenAsync(buffered, cancellationToken).ConfigureAwait(false);
            Log.FlacOpened(logger, flac.Stream.SampleRate, flac.Stream.Channels, flac.Stream.BitsPerSample, flac.Stream.MaxBlockSize);
            return flac;
        }

        var container = Describe(buffered.Buffered);
        if (CompressedAudio.Opener(container) is { } open)
        {
            return await OpenCompressedAsync(open, buffered, container, options, ffmpeg, logger, cancellationToken).ConfigureAwait(false);
        }

        var isMp3 = await Mp3Sniffer.IsMp3Async(buffered, cancellationToken).ConfigureAwait(false);
        if (!isMp3 && tagBytes > 0 && options.UseFfmpeg && buffered.TryRewind() && TryFindFfmpeg(options, ffmpeg) is { } tagged)
        {
            // Something else after the tag (ADTS AAC, say): ffmpeg may know it, from the first byte.
            return await StartFfmpegAsync(tagged, buffered, "audio after an ID3 tag", options, logger, cancellationToken).ConfigureAwait(false);
        }

        if (isMp3 || tagBytes > 0)
        {
            var mp3 = await Mp3AudioReader.OpenAsync(buffered, tagBytes, logger, cancellationToken).ConfigureAwait(false);

            // Layers I and II are rare in speech; ffmpeg reads them, and without it they are refused in plain words.
            if (mp3.NeedsFfmpeg)
            {
                await mp3.DisposeAsync().ConfigureAwait(false);
                return options.UseFfmpeg && buffered.TryRewind() && TryFindFfmpeg(options, ffmpeg) is { } program
                    ? await StartFfmpegAsync(program, buffered, Mp3AudioReader.LayerIOrIIFormat, options, logger, cancellationToken).ConfigureAwait(false)
                    : throw new HearsayException(
                        HearsayErrorCode.UnsupportedFormat,
                        $"{Mp3AudioReader.LayerIOrIIFormat} is not decoded in-process: the built-in decoder reads MPEG Layer III " +
                        "(MP3). With ffmpeg installed it is read through ffmpeg; or convert it to WAV, FLAC or MP3.");
            }

            return mp3;
        }

        return await OpenWithFfmpegAsync(buffered, container, options, ffmpeg, logger, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Decodes in-process; content of that container which is not read in-process (FLAC in Ogg, AAC in Matroska) goes to
    /// ffmpeg when it is there and the input can still be replayed from its first byte.
    /// </summary>
    private static async ValueTask<MonoAudioReader> OpenCompressedAsync(
        CompressedAudio.Open open, BufferedInput input, string container, AudioInputOptions options, FfmpegLocator ffmpeg, ILogger logger,
        CancellationToken cancellationToken)
    {
        HearsayException unsupported;
        try
        {
            var (reader, description) = await open(input, cancellationToken).ConfigureAwait(false);
            Log.DecodedInProcess(logger, description);
            return reader;
        }
        catch (HearsayException e) when (e.Code == HearsayErrorCode.UnsupportedFormat)
        {
            unsupported = e;
        }

        if (options.UseFfmpeg && input.TryRewind() && TryFindFfmpeg(options, ffmpeg) is { } program)
        {
            return await StartFfmpegAsync(program, input, container, options, logger, cancellationToken).ConfigureAwait(false);
        }

        throw new HearsayException(
            HearsayErrorCode.UnsupportedFormat,
            $"{unsupported.Message} {(options.UseFfmpeg ? "ffmpeg was not found (or the input could not be replayed to it)" : "ffmpeg is turned off")}. {AcceptedFormats}",
            unsupported);
    }

    private static async ValueTask<MonoAudioReader> OpenWavAsync(
        BufferedInput input, long? inputLength, AudioInputOptions options, FfmpegLocator ffmpeg, ILogger logger, CancellationToken cancellationToken)
    {
        HearsayException unsupported;
        try
        {
            var info = await WavParser.ReadHeaderAsync(input, inputLength, logger, cancellationToken).ConfigureAwait(false);
            return new PcmAudioReader(input, info.Layout, info.SampleRate, info.DataBytes);
        }
        catch (HearsayException e) when (e.Code == HearsayErrorCode.UnsupportedFormat)
        {
            unsupported = e;
        }

        // A WAV with a codec inside (ADPCM, GSM...): ffmpeg can take it from the first byte if that is still buffered.
        if (options.UseFfmpeg && input.TryRewind() && TryFindFfmpeg(options, ffmpeg) is { } program)
        {
            return await StartFfmpegAsync(program, input, "WAV", options, logger, cancellationToken).ConfigureAwait(false);
        }

        throw unsupported;
    }

    private static async ValueTask<MonoAudioReader> OpenWithFfmpegAsync(
        BufferedInput input, string container, AudioInputOptions options, FfmpegLocator ffmpeg, ILogger logger, CancellationToken cancellationToken)
    {
        var program = options.UseFfmpeg ? TryFindFfmpeg(options, ffmpeg) : null;
        if (program is null)
        {
            throw new HearsayException(
                HearsayErrorCode.UnsupportedFormat,
                $"Unsupported audio format ({container}){(options.UseFfmpeg ? ", and ffmpeg was not found" : ", and ffmpeg is turned off")}. {AcceptedFormats}");
        }

        return await StartFfmpegAsync(program, input, container, options, logger, cancellationToken).ConfigureAwait(false);
    }

    private static FfmpegProgram? TryFindFfmpeg(AudioInputOptions options, FfmpegLocator ffmpeg) =>
        ffmpeg.TryLocate(options.FfmpegPath, out var program) ? program : null;

    private static ValueTask<MonoAudioReader> StartFfmpegAsync(
        FfmpegProgram program, BufferedInput input, string container, AudioInputOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        Log.FfmpegStarted(logger, container, program.ExecutablePath, program.Source);
        return FfmpegAudioReader.StartAsync(program, input, options.FfmpegTimeout, logger, cancellationToken);
    }

    private static void ValidateOptions(AudioInputOptions options)
    {
        if (options.TargetSampleRate is { } target)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(target, WavParser.MinSampleRate, nameof(options));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(target, WavParser.MaxSampleRate, nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.FfmpegTimeout, TimeSpan.Zero, nameof(options));
        if (options.MaxDuration is { } maxDuration)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxDuration, TimeSpan.Zero, nameof(options));
        }

        // Raw PCM parameters often come from a request, so they fail as bad input rather than as a programming error.
        if (options.RawPcmSampleRate is { } rate && rate is < WavParser.MinSampleRate or > WavParser.MaxSampleRate)
        {
            throw new HearsayException(
                HearsayErrorCode.InvalidInput,
                string.Create(CultureInfo.InvariantCulture,
                    $"The raw PCM sample rate {rate} Hz is out of range ({WavParser.MinSampleRate} to {WavParser.MaxSampleRate} Hz)."));
        }

        if (options.RawPcmChannels is < 1 or > WavParser.MaxChannels)
        {
            throw new HearsayException(
                HearsayErrorCode.InvalidInput,
                string.Create(CultureInfo.InvariantCulture,
                    $"The raw PCM channel count {options.RawPcmChannels} is out of range (1 to {WavParser.MaxChannels})."));
        }
    }

    /// <summary>Names the container from its first bytes, for logs and errors.</summary>
    internal static string Describe(ReadOnlySpan<byte> prefix)
    {
        static bool At(ReadOnlySpan<byte> data, int offset, ReadOnlySpan<byte> magic) =>
            data.Length >= offset + magic.Length && data.Slice(offset, magic.Length).SequenceEqual(magic);

        return prefix switch
        {
            _ when At(prefix, 0, "fLaC"u8) => "FLAC",
            _ when At(prefix, 0, "OggS"u8) => "Ogg",
            _ when At(prefix, 0, "ID3"u8) => "MP3",
            _ when At(prefix, 0, [0x1A, 0x45, 0xDF, 0xA3]) => "WebM/Matroska",
            _ when At(prefix, 4, "ftyp"u8) => "MP4/M4A",
            _ when At(prefix, 0, "RIFX"u8) => "big-endian RIFF",
            _ when At(prefix, 0, "RIFF"u8) => "RIFF that is not WAVE",
            _ when At(prefix, 0, "FORM"u8) => "AIFF",
            _ when At(prefix, 0, "caff"u8) => "CAF",
            _ when At(prefix, 0, "#!AMR"u8) => "AMR",
            [0xFF, var second, ..] when (second & 0xF6) == 0xF0 => "AAC (ADTS)",
            [0xFF, var second, ..] when (second & 0xE0) == 0xE0 => "MP3",
            _ => "unrecognised data starting with 0x" + Convert.ToHexString(prefix[..Math.Min(8, prefix.Length)]),
        };
    }

    /// <summary>A reader that also disposes the stream it reads (a file it opened).</summary>
    private sealed class OwningReader(MonoAudioReader inner, Stream owned) : MonoAudioReader
    {
        public override int SampleRate => inner.SampleRate;

        public override long? TotalSamples => inner.TotalSamples;

        public override ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(destination, cancellationToken);

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync().ConfigureAwait(false);
            await owned.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }
}
