using System.Buffers.Binary;
using System.Text;

namespace Hearsay.Core.Tests.Audio;

/// <summary>Builds WAV files chunk by chunk, including the malformed ones real writers and attackers produce.</summary>
internal sealed class WavBytes
{
    private readonly List<byte> _body = [];
    private string _riffId = "RIFF";
    private uint? _riffSize;

    public static byte[] Fmt(ushort tag, int channels, int sampleRate, int bitsPerSample, int? blockAlign = null, byte[]? extension = null)
    {
        var align = blockAlign ?? (channels * ((bitsPerSample + 7) / 8));
        var fmt = new byte[16 + (extension is null ? 0 : 2 + extension.Length)];
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(4), (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(8), (uint)(sampleRate * align));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(12), (ushort)align);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(14), (ushort)bitsPerSample);
        if (extension is not null)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(16), (ushort)extension.Length);
            extension.CopyTo(fmt, 18);
        }

        return fmt;
    }

    /// <summary>A WAVE_FORMAT_EXTENSIBLE fmt body: container bits, valid bits, and the subformat's format code.</summary>
    public static byte[] Extensible(int channels, int sampleRate, int containerBits, int validBits, ushort subformat)
    {
        var extension = new byte[22];
        BinaryPrimitives.WriteUInt16LittleEndian(extension, (ushort)validBits);
        BinaryPrimitives.WriteUInt32LittleEndian(extension.AsSpan(2), channels == 1 ? 4u : 3u);
        BinaryPrimitives.WriteUInt16LittleEndian(extension.AsSpan(6), subformat);
        byte[] tail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
        tail.CopyTo(extension, 8);
        return Fmt(0xFFFE, channels, sampleRate, containerBits, extension: extension);
    }

    public static byte[] Pcm16(params short[] samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), samples[i]);
        }

        return bytes;
    }

    public WavBytes Rf64()
    {
        _riffId = "RF64";
        return this;
    }

    public WavBytes RiffSize(uint size)
    {
        _riffSize = size;
        return this;
    }

    /// <summary>Adds a chunk; <paramref name="declaredSize"/> overrides the size field, and odd sizes get a pad byte.</summary>
    public WavBytes Chunk(string id, byte[] body, uint? declaredSize = null, bool pad = true)
    {
        _body.AddRange(Encoding.ASCII.GetBytes(id));
        var size = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, declaredSize ?? (uint)body.Length);
        _body.AddRange(size);
        _body.AddRange(body);
        if (pad && body.Length % 2 == 1)
        {
            _body.Add(0);
        }

        return this;
    }

    public WavBytes Raw(byte[] bytes)
    {
        _body.AddRange(bytes);
        return this;
    }

    public byte[] ToArray()
    {
        var body = _body.ToArray();
        var file = new byte[12 + body.Length];
        Encoding.ASCII.GetBytes(_riffId).CopyTo(file, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), _riffSize ?? (uint)(4 + body.Length));
        "WAVE"u8.CopyTo(file.AsSpan(8));
        body.CopyTo(file, 12);
        return file;
    }
}
