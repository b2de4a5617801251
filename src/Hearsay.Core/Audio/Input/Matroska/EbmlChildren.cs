namespace Hearsay.Core.Audio.Input.Matroska;

/// <summary>Walks the child elements of a master element already in memory (Tracks, a BlockGroup).</summary>
internal ref struct EbmlChildren(ReadOnlySpan<byte> body)
{
    private readonly int _length = body.Length;
    private ReadOnlySpan<byte> _rest = body;

    public uint Id { get; private set; }

    /// <summary>Where <see cref="Body"/> starts within the parent's body.</summary>
    public int BodyOffset { get; private set; }

    public ReadOnlySpan<byte> Body { get; private set; }

    /// <summary>Moves to the next child; false at the end.</summary>
    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.InvalidInput"/> for a child that does not fit its parent.</exception>
    public bool MoveNext()
    {
        if (_rest.IsEmpty)
        {
            return false;
        }

        var idLength = EbmlVarInt.Read(_rest, 4, keepMarker: true, out var id);
        long size = 0;
        var sizeLength = idLength > 0 ? EbmlVarInt.Read(_rest[idLength..], 8, keepMarker: false, out size) : -1;
        if (sizeLength <= 0 || size < 0 || size > _rest.Length - idLength - sizeLength)
        {
            throw MatroskaAudio.Invalid("an element's size does not fit in the element holding it");
        }

        Id = (uint)id;
        BodyOffset = _length - _rest.Length + idLength + sizeLength;
        Body = _rest.Slice(idLength + sizeLength, (int)size);
        _rest = _rest[(idLength + sizeLength + (int)size)..];
        return true;
    }

    /// <summary>The body as a signed integer (at most 8 bytes, big-endian, two's complement).</summary>
    public readonly long ReadSigned()
    {
        var value = ReadUnsigned();
        var bits = Body.Length * 8;
        return bits is 0 or 64 ? (long)value : (long)(value << (64 - bits)) >> (64 - bits);
    }

    /// <summary>The body as an unsigned integer (at most 8 bytes, big-endian).</summary>
    public readonly ulong ReadUnsigned()
    {
        if (Body.Length > 8)
        {
            throw MatroskaAudio.Invalid("an integer element is longer than 8 bytes");
        }

        ulong value = 0;
        foreach (var b in Body)
        {
            value = (value << 8) | b;
        }

        return value;
    }
}
