namespace Hearsay.Core.Onnx.Protobuf;

/// <summary>Protocol Buffers wire types (the low three bits of a field's tag).</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}

/// <summary>A run of bytes in a file: its absolute offset and length.</summary>
internal readonly record struct FileRange(long Offset, int Length)
{
    public long End => Offset + Length;
}

/// <summary>
/// Reads one protobuf message's fields from a byte span, with the absolute offset of every byte so a caller can come
/// back to a large field (a tensor's raw data) without copying it. Throws <see cref="InvalidDataException"/> on
/// malformed input.
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> message, long baseOffset)
{
    private readonly ReadOnlySpan<byte> _message = message;
    private int _position;

    public readonly bool AtEnd => _position >= _message.Length;

    /// <summary>The absolute offset of the next byte to read: where the next field starts.</summary>
    public readonly long Position => baseOffset + _position;

    /// <summary>Where this message's bytes are: the absolute offset of its first byte and its length.</summary>
    public readonly FileRange Range => new(baseOffset, _message.Length);

    /// <summary>Reads the next field's tag.</summary>
    public bool TryReadTag(out int field, out WireType wireType)
    {
        if (AtEnd)
        {
            field = 0;
            wireType = default;
            return false;
        }

        var tag = ReadVarint();
        field = (int)(tag >> 3);
        wireType = (WireType)(tag & 7);
        if (field == 0 || wireType is not (WireType.Varint or WireType.Fixed64 or WireType.LengthDelimited or WireType.Fixed32))
        {
            throw new InvalidDataException($"Malformed protobuf tag {tag} at offset {baseOffset + _position}.");
        }

        return true;
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _message.Length)
            {
                throw new InvalidDataException("Truncated protobuf varint.");
            }

            var b = _message[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("Protobuf varint longer than ten bytes.");
    }

    public float ReadFixed32Float() => BitConverter.Int32BitsToSingle((int)ReadFixed(4));

    /// <summary>A length-delimited field's bytes and the absolute offset of its first byte.</summary>
    public ReadOnlySpan<byte> ReadBytes(out long offset)
    {
        var length = ReadVarint();
        if (length > (ulong)(_message.Length - _position))
        {
            throw new InvalidDataException($"Protobuf field of {length} bytes runs past its message at offset {baseOffset + _position}.");
        }

        offset = baseOffset + _position;
        var bytes = _message.Slice(_position, (int)length);
        _position += (int)length;
        return bytes;
    }

    /// <summary>A nested message, read by its own reader.</summary>
    public ProtoReader ReadMessage()
    {
        var bytes = ReadBytes(out var offset);
        return new ProtoReader(bytes, offset);
    }

    public string ReadString() => System.Text.Encoding.UTF8.GetString(ReadBytes(out _));

    /// <summary>A repeated int64 field's values, packed or not (one call per occurrence).</summary>
    public void ReadInt64s(WireType wireType, List<long> values)
    {
        if (wireType != WireType.LengthDelimited)
        {
            values.Add((long)ReadVarint());
            return;
        }

        var packed = ReadMessage();
        while (!packed.AtEnd)
        {
            values.Add((long)packed.ReadVarint());
        }
    }

    public void Skip(WireType wireType)
    {
        switch (wireType)
        {
            case WireType.Varint:
                ReadVarint();
                break;
            case WireType.Fixed64:
                ReadFixed(8);
                break;
            case WireType.Fixed32:
                ReadFixed(4);
                break;
            default:
                ReadBytes(out _);
                break;
        }
    }

    private ulong ReadFixed(int size)
    {
        if (_position + size > _message.Length)
        {
            throw new InvalidDataException("Truncated protobuf fixed-size field.");
        }

        ulong value = 0;
        for (var i = size - 1; i >= 0; i--)
        {
            value = (value << 8) | _message[_position + i];
        }

        _position += size;
        return value;
    }
}
