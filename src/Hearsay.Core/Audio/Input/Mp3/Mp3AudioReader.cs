using System.Globalization;
using Hearsay.Core.Diagnostics;
using Microsoft.Extensions.Logging;
using NLayer;

namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>
/// Decodes MP3 (MPEG-1, 2 and 2.5, Layers I to III) to mono floats at the stream's own rate, one frame at a time: its
/// own frame parser reads whole frames from the forward-only input and NLayer's frame decoder turns each into samples.
/// The start and end are trimmed as ffmpeg does, so both give the same number of samples.
/// </summary>
internal sealed class Mp3AudioReader : PacketAudioReader
{
    private readonly BufferedInput _input;
    private readonly MpegFrameDecoder _decoder = new();
    private readonly Mp3Frame _frame = new();
    private readonly float[] _decoded = new float[2 * 1152];
    private readonly float[] _mono = new float[1152];
    private readonly int _sampleRateIndex;
    private readonly long _skipUntil;
    private readonly long _discardFrom;
    private readonly long _discardUntil;
    private bool _framePending;
    private long _timeline;

    private Mp3AudioReader(BufferedInput input, Mp3FrameHeader first, Mp3InfoTag? info)
    {
        _input = input;
        _sampleRateIndex = first.SampleRateIndex;
        SampleRate = first.SampleRate;

        // ffmpeg's mp3 demuxer: skip encoder delay + decoder delay at the start; with a frame count, drop the samples
        // from (frames × samples per frame − padding + decoder delay) to the end of the counted frames.
        if (info is { HasEncoderDelays: true })
        {
            _skipUntil = info.EncoderDelay + Mp3InfoTag.DecoderDelay;
            if (info.Frames is { } frames)
            {
                _discardUntil = frames * first.SamplesPerFrame;
                _discardFrom = _discardUntil - info.Padding + Mp3InfoTag.DecoderDelay;
            }
        }
    }

    public override int SampleRate { get; }

    /// <summary>
    /// True for a stream NLayer 3.0.1 decodes wrongly: MPEG-2.5 Layer III at 8 kHz, where it starts region 1 of a
    /// short block at line 36 instead of 72 (ffmpeg and mpg123 use 72), garbling every frame with short blocks.
    /// </summary>
    public bool NLayerMisdecodes { get; private init; }

    /// <summary>What <see cref="NLayerMisdecodes"/> streams are, in words for logs and errors.</summary>
    public const string MisdecodedFormat = "MP3 at 8 kHz (MPEG-2.5 Layer III)";

    /// <summary>Reads the first frame (a Xing/Info header or audio) from <paramref name="input"/>, past any ID3v2 tags.</summary>
    /// <param name="input">At the first frame.</param>
    /// <param name="tagBytes">How many bytes of ID3v2 tags were skipped before it, for the log and errors.</param>
    /// <param name="logger">Where the stream's details go.</param>
    /// <param name="cancellationToken">Stops the reads.</param>
    /// <exception cref="HearsayException">InvalidInput when no MP3 frame follows; UnsupportedFormat for free format.</exception>
    public static async ValueTask<Mp3AudioReader> OpenAsync(BufferedInput input, long tagBytes, ILogger logger, CancellationToken cancellationToken)
    {
        var frame = new Mp3Frame();
        if (!await ReadFrameAsync(input, frame, expectedSampleRateIndex: null, cancellationToken).ConfigureAwait(false))
        {
            throw Mp3Errors.Invalid(tagBytes > 0 ? "it holds ID3 tags but no audio" : "it holds no audio frames");
        }

        var first = frame.Header;
        var info = Mp3InfoTag.TryRead(first, frame.Bytes);
        Log.Mp3Opened(logger, first.Version, first.Layer, first.SampleRate, first.Channels, tagBytes);
        if (info is not null)
        {
            Log.Mp3InfoHeader(logger, info.Tag, info.Frames ?? -1, info.EncoderDelay, info.Padding);
        }

        var reader = new Mp3AudioReader(input, first, info)
        {
            NLayerMisdecodes = first is { Version: MpegVersion.Version25, Layer: MpegLayer.LayerIII, SampleRate: 8000 },
        };
        if (info is null)
        {
            reader._frame.Load(first, frame.Bytes);
            reader._framePending = true;
        }

        return reader;
    }

    /// <summary>Decodes the next frame into <see cref="_mono"/>; returns what survives the trimming, null at the end.</summary>
    protected override async ValueTask<ReadOnlyMemory<float>?> DecodeNextAsync(CancellationToken cancellationToken)
    {
        if (!_framePending && !await ReadFrameAsync(_input, _frame, _sampleRateIndex, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        _framePending = false;
        var samples = _frame.Header.SamplesPerFrame;
        var channels = _frame.Header.Channels;
        int decoded;
        try
        {
            decoded = _decoder.DecodeFrame(_frame, _decoded.AsSpan());
        }
        catch (Exception e) when (e is InvalidDataException or IndexOutOfRangeException or ArgumentException)
        {
            throw Mp3Errors.Invalid(string.Create(CultureInfo.InvariantCulture, $"a frame before byte {_input.Position} is corrupt"), e);
        }

        if (decoded == 0)
        {
            // A frame whose bit reservoir points before the stream's start decodes to nothing: silence keeps the time.
            _mono.AsSpan(0, samples).Clear();
        }
        else
        {
            // Averaged and clipped to [-1, 1], as a loud MP3 can overshoot.
            MixToMono(_decoded.AsSpan(0, samples * channels), channels, 1f, _mono.AsSpan(0, samples));
        }

        var start = _timeline;
        var end = start + samples;
        _timeline = end;
        var keepFrom = Math.Max(start, _skipUntil);
        var keepTo = start < _discardUntil ? Math.Min(end, _discardFrom) : end;
        var from = (int)(keepFrom - start);
        return _mono.AsMemory(from, (int)Math.Max(keepTo - start, from) - from);
    }

    /// <summary>Reads the next whole frame into <paramref name="frame"/>; false at the end of the audio.</summary>
    private static async ValueTask<bool> ReadFrameAsync(
        BufferedInput input, Mp3Frame frame, int? expectedSampleRateIndex, CancellationToken cancellationToken)
    {
        // Fewer bytes than a header, or a tag appended after the audio, end it (as for ffmpeg).
        if (await input.FillAsync(Mp3FrameHeader.Length, cancellationToken).ConfigureAwait(false) < Mp3FrameHeader.Length
            || IsTrailingTag(input.Buffered))
        {
            return false;
        }

        var position = input.Position;
        if (!Mp3FrameHeader.TryRead(input.Buffered, out var header))
        {
            throw Mp3Errors.Invalid(string.Create(CultureInfo.InvariantCulture, $"there is no MP3 frame at byte {position}"));
        }

        if (header.IsFreeFormat)
        {
            throw Mp3Errors.FreeFormat();
        }

        if (expectedSampleRateIndex is { } expected && header.SampleRateIndex != expected)
        {
            throw Mp3Errors.Invalid(string.Create(CultureInfo.InvariantCulture, $"its sample rate changes at byte {position}"));
        }

        var length = header.FrameLength;
        if (await input.FillAsync(length, cancellationToken).ConfigureAwait(false) < length)
        {
            throw Mp3Errors.Invalid(string.Create(CultureInfo.InvariantCulture, $"its frame at byte {position} is cut off"));
        }

        frame.Load(header, input.Buffered[..length]);
        input.Consume(length);
        return true;
    }

    private static bool IsTrailingTag(ReadOnlySpan<byte> data) =>
        data.StartsWith("TAG"u8) || data.StartsWith("APETAGEX"u8) || data.StartsWith("ID3"u8) || data.StartsWith("LYRICSBEGIN"u8);
}
