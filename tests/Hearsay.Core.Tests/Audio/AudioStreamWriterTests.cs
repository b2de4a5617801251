using System.Buffers.Binary;
using Hearsay.Core.Audio;

namespace Hearsay.Core.Tests.Audio;

public sealed class AudioStreamWriterTests
{
    private static readonly float[] Samples = [0f, 0.5f, -0.5f, 1f, -1f, 2f, -2f];
    private static readonly short[] Expected = [0, 16384, -16384, 32767, -32767, 32767, -32767];

    [Fact]
    public async Task Wav_SeekableStream_HeaderHasExactSizes()
    {
        using var stream = new MemoryStream();
        var writer = AudioStreamWriter.Create(AudioFormat.Wav, stream, 22050);

        await writer.WriteAsync(Samples.AsMemory(0, 3));
        await writer.WriteAsync(Samples.AsMemory(3));
        await writer.CompleteAsync();

        var bytes = stream.ToArray();
        Assert.Equal(WavHeader.Size + (Samples.Length * 2), bytes.Length);
        AssertHeader(bytes, 22050, dataBytes: (uint)(Samples.Length * 2), riffBytes: (uint)(bytes.Length - 8));
        Assert.Equal(Expected, ReadPcm(bytes.AsSpan(WavHeader.Size)));
    }

    [Fact]
    public async Task Wav_PipeStream_UsesStreamingHeaderWithUnknownSizes()
    {
        using var inner = new MemoryStream();
        await using var pipe = new NonSeekableStream(inner);
        var writer = AudioStreamWriter.Create(AudioFormat.Wav, pipe, 16000);

        await writer.WriteAsync(Samples);
        await writer.CompleteAsync();

        var bytes = inner.ToArray();
        AssertHeader(bytes, 16000, dataBytes: WavHeader.UnknownLength, riffBytes: WavHeader.UnknownLength);
        Assert.Equal(Expected, ReadPcm(bytes.AsSpan(WavHeader.Size)));
    }

    [Fact]
    public async Task Wav_NothingWritten_IsAValidEmptyFile()
    {
        using var stream = new MemoryStream();

        await AudioStreamWriter.Create(AudioFormat.Wav, stream, 8000).CompleteAsync();

        AssertHeader(stream.ToArray(), 8000, dataBytes: 0, riffBytes: 36);
    }

    [Fact]
    public async Task Pcm_WritesOnlySamples()
    {
        using var stream = new MemoryStream();
        var writer = AudioStreamWriter.Create(AudioFormat.Pcm, stream, 22050);

        await writer.WriteAsync(Samples);
        await writer.CompleteAsync();

        Assert.Equal(Expected, ReadPcm(stream.ToArray()));
        Assert.Equal(Samples.Length * 2, writer.DataBytes);
    }

    private static void AssertHeader(byte[] bytes, int sampleRate, uint dataBytes, uint riffBytes)
    {
        var header = bytes.AsSpan(0, WavHeader.Size);
        Assert.True(header[..4].SequenceEqual("RIFF"u8));
        Assert.Equal(riffBytes, BinaryPrimitives.ReadUInt32LittleEndian(header[4..]));
        Assert.True(header[8..16].SequenceEqual("WAVEfmt "u8));
        Assert.Equal(16u, BinaryPrimitives.ReadUInt32LittleEndian(header[16..]));
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(header[20..]));
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(header[22..]));
        Assert.Equal(sampleRate, BinaryPrimitives.ReadInt32LittleEndian(header[24..]));
        Assert.Equal(sampleRate * 2, BinaryPrimitives.ReadInt32LittleEndian(header[28..]));
        Assert.Equal(2, BinaryPrimitives.ReadInt16LittleEndian(header[32..]));
        Assert.Equal(16, BinaryPrimitives.ReadInt16LittleEndian(header[34..]));
        Assert.True(header[36..40].SequenceEqual("data"u8));
        Assert.Equal(dataBytes, BinaryPrimitives.ReadUInt32LittleEndian(header[40..]));
    }

    private static short[] ReadPcm(ReadOnlySpan<byte> bytes)
    {
        var samples = new short[bytes.Length / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes[(i * 2)..]);
        }

        return samples;
    }

    private sealed class NonSeekableStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
