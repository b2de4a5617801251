using System.Buffers.Binary;
using Hearsay.Core.Audio.Input;

namespace Hearsay.Core.Tests.Audio;

/// <summary>Long inputs stream through in bounded memory: nothing holds the whole input or output.</summary>
public sealed class LongInputTests
{
    // A non-streaming decoder would allocate the input (1.38 GB for two hours) or the output (1.38 GB of floats).
    private const long AllocationBudgetBytes = 4 * 1024 * 1024;

    [Fact]
    public async Task ReadAsync_TwoHours48kHzStereo_StreamsInBoundedMemory()
    {
        const int rate = 48000;
        const long frames = 2L * 60 * 60 * rate;
        await using var input = new GeneratedWavStream(rate, channels: 2, frames);

        var (count, allocated, peak) = await DrainAsync(input, new AudioInputOptions { TargetSampleRate = null, UseFfmpeg = false });

        Assert.Equal(frames, count);
        Assert.True(allocated < AllocationBudgetBytes, $"allocated {allocated:N0} bytes");
        Assert.InRange(peak, 0.49f, 0.51f);
    }

    [Fact]
    public async Task ReadAsync_TenMinutesResampledTo16kHz_StreamsInBoundedMemory()
    {
        const int rate = 48000;
        const long frames = 10L * 60 * rate;
        await using var input = new GeneratedWavStream(rate, channels: 2, frames);

        var (count, allocated, peak) = await DrainAsync(input, new AudioInputOptions { UseFfmpeg = false });

        Assert.Equal(frames / 3, count);
        Assert.True(allocated < AllocationBudgetBytes, $"allocated {allocated:N0} bytes");
        // The square wave's edges ring after band-limiting (Gibbs), so the peak is a little over 0.5.
        Assert.InRange(peak, 0.45f, 0.6f);
    }

    private static async Task<(long Count, long Allocated, float Peak)> DrainAsync(Stream input, AudioInputOptions options)
    {
        // Every read completes synchronously on the generated stream, so this thread's counter sees every allocation.
        var before = GC.GetAllocatedBytesForCurrentThread();
        await using var reader = await AudioDecoder.OpenAsync(input, options);
        var buffer = new float[8192];
        long count = 0;
        var peak = 0f;
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            count += read;
            peak = Math.Max(peak, buffer[read - 1]);
        }

        Assert.Equal(count, reader.TotalSamples);
        return (count, GC.GetAllocatedBytesForCurrentThread() - before, peak);
    }

    /// <summary>
    /// A 16-bit WAV made on the fly, never materialised: a 1 kHz-ish square wave of ±0.5 on every channel, so the mix
    /// and any resampling keep a known peak.
    /// </summary>
    private sealed class GeneratedWavStream : Stream
    {
        private readonly byte[] _header = new byte[44];
        private readonly long _length;
        private readonly int _frameBytes;
        private long _position;

        public GeneratedWavStream(int sampleRate, int channels, long frames)
        {
            _frameBytes = 2 * channels;
            var dataBytes = frames * _frameBytes;
            "RIFF"u8.CopyTo(_header);
            BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(4), checked((uint)(dataBytes + 36)));
            "WAVEfmt "u8.CopyTo(_header.AsSpan(8));
            BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(16), 16);
            BinaryPrimitives.WriteUInt16LittleEndian(_header.AsSpan(20), 1);
            BinaryPrimitives.WriteUInt16LittleEndian(_header.AsSpan(22), (ushort)channels);
            BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(24), (uint)sampleRate);
            BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(28), (uint)(sampleRate * _frameBytes));
            BinaryPrimitives.WriteUInt16LittleEndian(_header.AsSpan(32), (ushort)_frameBytes);
            BinaryPrimitives.WriteUInt16LittleEndian(_header.AsSpan(34), 16);
            "data"u8.CopyTo(_header.AsSpan(36));
            BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(40), checked((uint)dataBytes));
            _length = 44 + dataBytes;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = (int)Math.Min(buffer.Length, _length - _position);
            for (var i = 0; i < count; i++, _position++)
            {
                if (_position < 44)
                {
                    buffer[i] = _header[_position];
                    continue;
                }

                // Sample bytes: low then high byte of ±16384, switching every 24 frames.
                var inData = _position - 44;
                var frame = inData / _frameBytes;
                var value = (short)((frame / 24) % 2 == 0 ? 16384 : -16384);
                buffer[i] = (byte)(inData % 2 == 0 ? value & 0xFF : (value >> 8) & 0xFF);
            }

            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
