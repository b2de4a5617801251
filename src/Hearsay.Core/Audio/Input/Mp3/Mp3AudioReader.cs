using System.Globalization;
using Hearsay.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>
/// Decodes MP3 (MPEG-1, 2 and 2.5 Layer III) to mono floats at the stream's own rate, one frame at a time: the frame
/// parser reads whole frames from the forward-only input and <see cref="Layer3Decoder"/> turns each into samples. The
/// start and end are trimmed as ffmpeg does, so both give the same number of samples. Layers I and II are recognised
/// but not decoded here (<see cref="NeedsFfmpeg"/>).
/// </summary>
internal sealed class Mp3AudioReader : PacketAudioReader
{
    private readonly BufferedInput _input;
    private readonly Layer3Decoder _decoder = new();
    private readonly Mp3Frame _frame = new();
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

    /// <summary>True for MPEG Layer I or II audio, which is read through ffmpeg or refused.</summary>
    public bool NeedsFfmpeg { get; private init; }

    /// <summary>What <see cref="NeedsFfmpeg"/> streams are, in words for logs and errors.</summary>
    public const string LayerIOrIIFormat = "MPEG Layer I/II audio (MP1/MP2)";

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
            NeedsFfmpeg = first.Layer != MpegLayer.LayerIII,
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
        if (_frame.Header.Layer != MpegLayer.LayerIII)
        {
            throw Mp3Errors.Invalid(string.Create(CultureInfo.InvariantCulture, $"its layer changes before byte {_input.Position}"));
        }

        var samples = _frame.Header.SamplesPerFrame;
        if (!_decoder.TryDecode(_frame, _mono))
        {
            throw Mp3Errors.Invalid(string.Create(CultureInfo.InvariantCulture, $"a frame before byte {_input.Position} is corrupt"));
        }

        // Clipped to [-1, 1], as a loud MP3 can overshoot.
        var decoded = _mono.AsSpan(0, samples);
        MixToMono(decoded, 1, 1f, decoded);

        var start = _timeline;
        var end = start + samples;
        _timeline = end;
        var keepFrom = Math.Max(start, _skipUntil);
        var keepTo = start < _discardUntil ? Math.Min(end, _discardFrom) : end;
        // A delay longer than the frame (a corrupt info header can claim 4,600 samples) skips all of it.
        var from = (int)Math.Min(keepFrom - start, samples);
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
