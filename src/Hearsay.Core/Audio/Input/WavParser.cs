using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Hearsay.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Hearsay.Core.Audio.Input;

/// <summary>What the header of a RIFF/WAVE (or RF64) stream says about its samples.</summary>
/// <param name="Layout">How the frames are stored.</param>
/// <param name="SampleRate">Frames per second.</param>
/// <param name="DataBytes">The size of the data chunk when it can be believed; null to read to the end.</param>
internal sealed record WavInfo(PcmLayout Layout, int SampleRate, long? DataBytes);

/// <summary>
/// Reads a WAV header from the start of a stream up to the first byte of the samples, without seeking and without
/// trusting any size it reads: chunks are skipped by reading, only <c>fmt </c> and <c>ds64</c> are buffered, and the
/// whole header region is capped.
/// </summary>
internal static class WavParser
{
    /// <summary>The most header bytes (every chunk before <c>data</c>) read before giving up.</summary>
    public const int MaxHeaderBytes = 8 * 1024 * 1024;

    /// <summary>The largest <c>fmt </c> or <c>ds64</c> chunk buffered; real ones are 16 to about 60 bytes.</summary>
    public const int MaxFormatChunkBytes = 4096;

    public const int MaxChannels = 64;
    public const int MinSampleRate = 1000;
    public const int MaxSampleRate = 1_000_000;

    private const ushort FormatPcm = 0x0001;
    private const ushort FormatFloat = 0x0003;
    private const ushort FormatALaw = 0x0006;
    private const ushort FormatMuLaw = 0x0007;
    private const ushort FormatExtensible = 0xFFFE;
    private const uint UnknownSize = uint.MaxValue;

    // Chunk ids as big-endian integers of their four ASCII bytes.
    private const uint DataId = 0x64617461; // "data"
    private const uint FormatId = 0x666D7420; // "fmt "
    private const uint Ds64Id = 0x64733634; // "ds64"

    // KSDATAFORMAT_SUBTYPE_*: the format tag in the first two bytes, then this fixed tail.
    private static ReadOnlySpan<byte> SubformatGuidTail =>
        [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <summary>True when <paramref name="prefix"/> (at least 12 bytes) starts a RIFF/WAVE or RF64/WAVE file.</summary>
    public static bool IsWav(ReadOnlySpan<byte> prefix) =>
        prefix.Length >= 12 && (prefix.StartsWith("RIFF"u8) || prefix.StartsWith("RF64"u8)) && prefix[8..12].SequenceEqual("WAVE"u8);

    /// <summary>Consumes the header; on return the input is at the first byte of the data chunk.</summary>
    /// <param name="input">The input, at the first byte of the file.</param>
    /// <param name="inputLength">The size of the whole file when the stream knows it (it can seek); else null.</param>
    /// <param name="logger">Where header details go.</param>
    /// <param name="cancellationToken">Stops the reads.</param>
    /// <exception cref="HearsayException">
    /// <see cref="HearsayErrorCode.InvalidInput"/> for a malformed header; <see cref="HearsayErrorCode.UnsupportedFormat"/>
    /// for a well-formed one whose encoding is not decoded natively (such as ADPCM).
    /// </exception>
    public static async ValueTask<WavInfo> ReadHeaderAsync(
        BufferedInput input, long? inputLength, ILogger logger, CancellationToken cancellationToken)
    {
        if (await input.FillAsync(12, cancellationToken).ConfigureAwait(false) < 12 || !IsWav(input.Buffered))
        {
            throw Invalid("it does not start with a RIFF/WAVE header");
        }

        var isRf64 = input.Buffered.StartsWith("RF64"u8);
        input.Consume(12);

        WavFormat? format = null;
        long? rf64DataBytes = null;
        while (true)
        {
            if (input.Position > MaxHeaderBytes)
            {
                throw Invalid(string.Create(
                    CultureInfo.InvariantCulture, $"no data chunk within the first {MaxHeaderBytes / (1024 * 1024)} MiB"));
            }

            if (await input.FillAsync(8, cancellationToken).ConfigureAwait(false) < 8)
            {
                throw Invalid(format is null ? "it has no fmt chunk" : "it has no data chunk");
            }

            var id = BinaryPrimitives.ReadUInt32BigEndian(input.Buffered);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(input.Buffered[4..]);
            var chunkStart = input.Position;
            var name = ChunkName(id);
            input.Consume(8);

            if (id == DataId)
            {
                if (format is null)
                {
                    throw Invalid("the data chunk comes before the fmt chunk");
                }

                var dataBytes = DataBytes(size, isRf64 ? rf64DataBytes : null, inputLength, input.Position);
                Log.WavHeaderRead(logger, format.Layout, format.SampleRate, dataBytes ?? -1, input.Position);
                return new WavInfo(format.Layout, format.SampleRate, dataBytes);
            }

            if (id == FormatId || (isRf64 && id == Ds64Id))
            {
                if (size > MaxFormatChunkBytes)
                {
                    throw Invalid(string.Create(
                        CultureInfo.InvariantCulture, $"its {name} chunk claims {size} bytes (at most {MaxFormatChunkBytes} are accepted)"));
                }

                var padded = (int)size + (int)(size & 1);
                var available = await input.FillAsync(padded, cancellationToken).ConfigureAwait(false);
                if (available < size)
                {
                    throw Invalid($"it ends inside its {name} chunk");
                }

                var body = input.Buffered[..(int)size];
                if (id == FormatId)
                {
                    if (format is not null)
                    {
                        throw Invalid("it has two fmt chunks");
                    }

                    format = ParseFormat(body);
                }
                else
                {
                    rf64DataBytes = ParseDs64(body);
                }

                input.Consume(Math.Min(padded, available));
                continue;
            }

            // Anything else (LIST, fact, JUNK, bext, id3, cue...) is skipped by reading, never buffered whole; one that
            // would end past the header cap fails now rather than after reading gigabytes a hostile size asks for.
            if (input.Position + size > MaxHeaderBytes)
            {
                throw Invalid(string.Create(
                    CultureInfo.InvariantCulture,
                    $"its {name} chunk at byte {chunkStart} claims {size} bytes, past the first {MaxHeaderBytes / (1024 * 1024)} MiB where the data chunk must start"));
            }

            Log.WavChunkSkipped(logger, name, size, chunkStart);
            var skip = (long)size + (size & 1);
            if (await input.SkipAsync(skip, cancellationToken).ConfigureAwait(false) < size)
            {
                throw Invalid(format is null ? "it has no fmt chunk" : "it has no data chunk");
            }
        }
    }

    private static long? DataBytes(uint size, long? rf64DataBytes, long? inputLength, long position)
    {
        // Streaming writers leave 0 or 0xFFFFFFFF (RF64: 0xFFFFFFFF and the real size in ds64): read to the end then.
        long? declared = size switch
        {
            0 or UnknownSize when rf64DataBytes is > 0 => rf64DataBytes,
            0 or UnknownSize => null,
            _ => size,
        };

        // A size past the end of a stream whose length is known (a file cut short) is replaced by what is there.
        return inputLength is { } length && (declared is null || declared > length - position)
            ? Math.Max(0, length - position)
            : declared;
    }

    private sealed record WavFormat(PcmLayout Layout, int SampleRate);

    private static WavFormat ParseFormat(ReadOnlySpan<byte> body)
    {
        if (body.Length < 16)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"its fmt chunk has {body.Length} bytes (at least 16 are needed)"));
        }

        var tag = BinaryPrimitives.ReadUInt16LittleEndian(body);
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
        var sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
        var blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(body[12..]);
        var bitsPerSample = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
        int validBits = bitsPerSample;

        if (tag == FormatExtensible)
        {
            var extensionSize = body.Length >= 18 ? BinaryPrimitives.ReadUInt16LittleEndian(body[16..]) : 0;
            if (body.Length < 40 || extensionSize < 22)
            {
                throw Invalid("its WAVE_FORMAT_EXTENSIBLE fmt chunk is shorter than 40 bytes");
            }

            validBits = BinaryPrimitives.ReadUInt16LittleEndian(body[18..]);
            var subformat = body.Slice(24, 16);
            if (!subformat[2..].SequenceEqual(SubformatGuidTail))
            {
                throw Unsupported($"WAVE_FORMAT_EXTENSIBLE with subformat {new Guid(subformat)}");
            }

            tag = BinaryPrimitives.ReadUInt16LittleEndian(subformat);
            if (validBits == 0)
            {
                validBits = bitsPerSample;
            }
        }

        if (channels is 0 or > MaxChannels)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"it has {channels} channels (1 to {MaxChannels} are accepted)"));
        }

        if (sampleRate is < MinSampleRate or > MaxSampleRate)
        {
            throw Invalid(string.Create(
                CultureInfo.InvariantCulture, $"its sample rate is {sampleRate} Hz ({MinSampleRate} to {MaxSampleRate} Hz are accepted)"));
        }

        var encoding = tag switch
        {
            FormatPcm when bitsPerSample is > 0 and <= 8 => PcmEncoding.UnsignedInteger,
            FormatPcm => PcmEncoding.SignedInteger,
            FormatFloat => PcmEncoding.Float,
            FormatALaw => PcmEncoding.ALaw,
            FormatMuLaw => PcmEncoding.MuLaw,
            _ => throw Unsupported(string.Create(CultureInfo.InvariantCulture, $"WAV format tag 0x{tag:X4}")),
        };

        // Samples are stored in whole bytes with any spare bits at the bottom, so they decode by their container size.
        var bytesPerSample = (bitsPerSample + 7) / 8;
        var supported = encoding switch
        {
            PcmEncoding.UnsignedInteger => bytesPerSample == 1,
            PcmEncoding.SignedInteger => bytesPerSample is 2 or 3 or 4,
            PcmEncoding.Float => bitsPerSample is 32 or 64,
            _ => bitsPerSample == 8,
        };
        if (!supported || validBits > bitsPerSample)
        {
            throw Invalid(string.Create(
                CultureInfo.InvariantCulture, $"{bitsPerSample}-bit samples ({validBits} valid) do not fit format tag 0x{tag:X4}"));
        }

        if (blockAlign != channels * bytesPerSample)
        {
            throw Invalid(string.Create(
                CultureInfo.InvariantCulture,
                $"its block align is {blockAlign} bytes, but {channels} channel(s) of {bitsPerSample}-bit samples take {channels * bytesPerSample}"));
        }

        return new WavFormat(new PcmLayout(encoding, bytesPerSample, channels), (int)sampleRate);
    }

    private static long? ParseDs64(ReadOnlySpan<byte> body)
    {
        if (body.Length < 24)
        {
            throw Invalid("its ds64 chunk is shorter than 24 bytes");
        }

        var dataBytes = BinaryPrimitives.ReadInt64LittleEndian(body[8..]);
        return dataBytes > 0 ? dataBytes : null;
    }

    private static string ChunkName(uint id)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, id);
        foreach (var b in bytes)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return "0x" + Convert.ToHexString(bytes);
            }
        }

        return $"'{Encoding.ASCII.GetString(bytes)}'";
    }

    internal static HearsayException Invalid(string problem) =>
        new(HearsayErrorCode.InvalidInput, $"The audio is not a valid WAV file: {problem}.");

    internal static HearsayException Unsupported(string what) =>
        new(HearsayErrorCode.UnsupportedFormat, $"{what} is not decoded natively. {AudioDecoder.AcceptedFormats}");
}
