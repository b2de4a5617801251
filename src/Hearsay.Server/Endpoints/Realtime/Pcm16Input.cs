using System.Buffers;
using Hearsay.Contracts.Realtime;
using Hearsay.Core.Audio.Input;

namespace Hearsay.Server.Endpoints.Realtime;

/// <summary>
/// Turns the base64 PCM16 of <c>input_audio_buffer.append</c> into 16 kHz samples for the VAD and Whisper, with the
/// same streaming resampler (and the same int16 scaling and clamping) as the file endpoint, so a committed buffer is
/// exactly the audio an upload of the same PCM would give.
/// </summary>
internal sealed class Pcm16Input
{
    public const int EngineRate = 16000;

    /// <summary>The file endpoint's decoding of mono 16-bit PCM, so both scale samples alike.</summary>
    private static readonly PcmLayout MonoPcm16 = new(PcmEncoding.SignedInteger, BytesPerSample: 2, Channels: 1);

    private readonly int _inputRate;
    private Resampler? _resampler;
    private readonly float[] _block = new float[Resampler.BlockCapacity];

    public Pcm16Input(int inputRate)
    {
        _inputRate = inputRate;
        _resampler = NewResampler();
    }

    /// <summary>Decodes base64 PCM16 and appends the 16 kHz samples it yields (a few ms behind the input) to <paramref name="output"/>.</summary>
    /// <exception cref="RealtimeProtocolException">The text is not base64, or not whole 16-bit samples.</exception>
    public void Append(string base64, List<float> output)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(base64.Length / 4 * 3 + 3);
        try
        {
            if (!Convert.TryFromBase64String(base64, bytes, out var count))
            {
                throw new RealtimeProtocolException(RealtimeErrorCodes.InvalidValue, "audio is not base64.", "audio");
            }

            if (count % 2 != 0)
            {
                throw new RealtimeProtocolException(
                    RealtimeErrorCodes.InvalidValue, $"audio is {count} bytes: PCM16 needs an even number (2 bytes per sample).", "audio");
            }

            Append(bytes.AsSpan(0, count), output);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>Ends the current stretch of input: the samples still inside the filter are computed with silence after them.</summary>
    public void Flush(List<float> output)
    {
        if (_resampler is { } resampler)
        {
            resampler.Complete();
            Drain(resampler, output);
            _resampler = NewResampler();
        }
    }

    /// <summary>Forgets the audio inside the filter (a clear).</summary>
    public void Reset() => _resampler = NewResampler();

    private void Append(ReadOnlySpan<byte> pcm, List<float> output)
    {
        while (!pcm.IsEmpty)
        {
            var samples = Math.Min(pcm.Length / 2, _block.Length);
            if (_resampler is { } resampler)
            {
                samples = Math.Min(samples, resampler.FreeSpace);
            }

            var block = _block.AsSpan(0, samples);
            MonoPcm16.DecodeMono(pcm, block);
            pcm = pcm[(samples * 2)..];
            if (_resampler is null)
            {
                output.AddRange(block);
                continue;
            }

            _resampler.Write(block);
            Drain(_resampler, output);
        }
    }

    private void Drain(Resampler resampler, List<float> output)
    {
        int written;
        while ((written = resampler.Read(_block)) > 0)
        {
            foreach (var sample in _block.AsSpan(0, written))
            {
                // Band-limiting overshoots a full-scale edge a little; the engine reads samples in [-1, 1], as ResamplingReader gives.
                output.Add(Math.Clamp(sample, -1f, 1f));
            }
        }
    }

    private Resampler? NewResampler() => _inputRate == EngineRate ? null : new Resampler(_inputRate, EngineRate);
}
