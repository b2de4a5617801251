using System.Buffers.Binary;
using Concentus.Enums;
using Concentus.Structs;
using Hearsay.Core.Audio.Input;
using Hearsay.Core.Audio.Input.Opus;
using Hearsay.Core.Audio.Ogg;

namespace Hearsay.Core.Audio;

/// <summary>
/// Encodes mono speech as Ogg Opus in-process (RFC 7845): resampled to 48 kHz, 20 ms packets from Concentus's encoder
/// at 32 kbit/s, pages of 200 ms, so a listener hears a sentence without waiting for the rest, and the stream's true
/// length in the last page's granule position, so decoders drop the padding of the last packet.
/// </summary>
/// <remarks>
/// <see cref="AudioStreamWriter.FlushAsync"/> writes the packets encoded so far as a page at once. What it cannot write
/// yet is the last part of a 20 ms frame and the resampler's look-ahead (under 1 ms): both wait for more audio or the end.
/// </remarks>
internal sealed class OggOpusStreamWriter : AudioStreamWriter
{
    private const int FrameSamples = OpusHead.SampleRate / 50;
    private const int PacketsPerPage = 10;
    private const int Bitrate = 32000;

    /// <summary>The largest Opus packet for one frame (RFC 6716 section 3.2.1).</summary>
    private const int MaxPacketBytes = 1275;

    private readonly OpusEncoder _encoder;
    private readonly Resampler? _resampler;
    private readonly OggPageWriter _pages = new(0x48534159); // "HSAY": any serial will do for a single stream.
    private readonly float[] _converted = new float[Resampler.BlockCapacity];
    private readonly float[] _resampled = new float[Resampler.BlockCapacity * 4];
    private readonly float[] _frame = new float[FrameSamples];
    private readonly byte[] _packet = new byte[MaxPacketBytes];
    private readonly int _preSkip;
    private int _frameFill;
    private long _samples;
    private long _packets;
    private bool _headerWritten;
    private bool _completed;

    public OggOpusStreamWriter(Stream output, int sampleRate)
        : base(output, sampleRate)
    {
        // The managed encoder, deliberately: the factory would use a native libopus when one is installed.
#pragma warning disable CS0618 // Obsolete only to steer callers to that factory.
        _encoder = new OpusEncoder(OpusHead.SampleRate, 1, OpusApplication.OPUS_APPLICATION_AUDIO)
        {
            Bitrate = Bitrate,
            SignalType = OpusSignal.OPUS_SIGNAL_VOICE,
        };
#pragma warning restore CS0618
        _preSkip = _encoder.Lookahead;
        _resampler = sampleRate == OpusHead.SampleRate ? null : new Resampler(sampleRate, OpusHead.SampleRate);
    }

    private protected override async ValueTask BeforeFirstWriteAsync(CancellationToken cancellationToken)
    {
        if (_headerWritten)
        {
            return;
        }

        _headerWritten = true;
        // RFC 7845 section 3: the identification header alone on the first page, the comment header on the next.
        var head = new byte[OpusHead.MinSize];
        OpusHead.Write(head, 1, _preSkip, SampleRate);
        _pages.Add(head, 0);
        await _pages.WritePageAsync(Output, isLast: false, cancellationToken).ConfigureAwait(false);
        _pages.Add(Tags(), 0);
        await _pages.WritePageAsync(Output, isLast: false, cancellationToken).ConfigureAwait(false);
    }

    private protected override async ValueTask WritePcmAsync(ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        for (var offset = 0; offset < pcm.Length;)
        {
            var count = Math.Min(_converted.Length, (pcm.Length - offset) / Pcm16.BytesPerSample);
            var bytes = pcm.Span.Slice(offset, count * Pcm16.BytesPerSample);
            for (var i = 0; i < count; i++)
            {
                _converted[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes[(2 * i)..]) / 32768f;
            }

            await EncodeAsync(_converted.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
            offset += count * Pcm16.BytesPerSample;
        }
    }

    private protected override async ValueTask OnFlushAsync(CancellationToken cancellationToken)
    {
        if (_pages.PendingPackets > 0)
        {
            await _pages.WritePageAsync(Output, isLast: false, cancellationToken).ConfigureAwait(false);
        }

        await Output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private protected override async ValueTask OnCompleteAsync(CancellationToken cancellationToken)
    {
        if (_completed)
        {
            return;
        }

        if (_resampler is not null)
        {
            _resampler.Complete();
            await DrainResamplerAsync(cancellationToken).ConfigureAwait(false);
        }

        // The encoder delays the audio by the pre-skip: encode that much silence after it, so every sample comes out.
        var end = _preSkip + _samples;
        while (_packets * FrameSamples < end)
        {
            _frame.AsSpan(_frameFill).Clear();
            _frameFill = FrameSamples;
            await EncodeFrameAsync(cancellationToken).ConfigureAwait(false);
        }

        await _pages.WritePageAsync(Output, isLast: true, cancellationToken).ConfigureAwait(false);
        _completed = true;
    }

    private async ValueTask EncodeAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        if (_resampler is null)
        {
            await AddAsync(samples, cancellationToken).ConfigureAwait(false);
            return;
        }

        while (!samples.IsEmpty)
        {
            var taken = _resampler.Write(samples.Span);
            samples = samples[taken..];
            await DrainResamplerAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask DrainResamplerAsync(CancellationToken cancellationToken)
    {
        int count;
        while ((count = _resampler!.Read(_resampled)) > 0)
        {
            await AddAsync(_resampled.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Adds 48 kHz samples to the current frame, encoding each frame as it fills.</summary>
    private async ValueTask AddAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        _samples += samples.Length;
        while (!samples.IsEmpty)
        {
            var count = Math.Min(FrameSamples - _frameFill, samples.Length);
            samples.Span[..count].CopyTo(_frame.AsSpan(_frameFill));
            _frameFill += count;
            samples = samples[count..];
            if (_frameFill == FrameSamples)
            {
                await EncodeFrameAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask EncodeFrameAsync(CancellationToken cancellationToken)
    {
        foreach (ref var sample in _frame.AsSpan())
        {
            // The resampler's band-limiting can overshoot full scale a little.
            sample = Math.Clamp(sample, -1f, 1f);
        }

        var length = _encoder.Encode(_frame, FrameSamples, _packet, _packet.Length);
        _frameFill = 0;
        _packets++;
        // Granule positions count 48 kHz samples with the pre-skip; the last packet's says where the audio really ends.
        var granule = Math.Min(_packets * FrameSamples, _preSkip + _samples);
        _pages.Add(_packet.AsSpan(0, length), granule);
        if (_pages.PendingPackets == PacketsPerPage)
        {
            await _pages.WritePageAsync(Output, isLast: false, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The comment header (RFC 7845 section 5.2): the vendor string and no comments.</summary>
    private static byte[] Tags()
    {
        var vendor = "Hearsay (Concentus)"u8;
        var tags = new byte[8 + 4 + vendor.Length + 4];
        "OpusTags"u8.CopyTo(tags);
        BinaryPrimitives.WriteUInt32LittleEndian(tags.AsSpan(8), (uint)vendor.Length);
        vendor.CopyTo(tags.AsSpan(12));
        return tags;
    }
}
