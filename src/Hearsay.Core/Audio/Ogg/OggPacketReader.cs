using System.Globalization;
using Hearsay.Core.Audio.Input;

namespace Hearsay.Core.Audio.Ogg;

/// <summary>
/// Joins the segments of one logical Ogg stream's pages into packets (RFC 3533 section 5), skipping the pages of every
/// other stream. A packet may span pages; it is refused past <see cref="MaxPacketBytes"/>, so memory stays bounded
/// whatever the lacing claims.
/// </summary>
/// <remarks>
/// Only the stream's own end counts as an end: a chained stream after it is not read. A page that continues a packet whose
/// start was lost is dropped from its start to its first packet boundary, and a packet left incomplete at the end of
/// input is dropped, as ffmpeg does.
/// </remarks>
internal sealed class OggPacketReader : IPacketSource
{
    /// <summary>Far above any Opus packet (at most 120 ms) or Vorbis setup header seen in practice.</summary>
    public const int MaxPacketBytes = 1 << 20;

    private readonly OggPageReader _pages;
    private readonly uint _serial;
    private byte[] _packet = new byte[4096];
    private int _packetLength;
    private bool _inPacket;
    private int _segment;
    private int _payloadOffset;
    private bool _pageLoaded;
    private bool _ended;

    private OggPacketReader(OggPageReader pages, uint serial)
    {
        _pages = pages;
        _serial = serial;
        _pageLoaded = true;
    }

    /// <summary>
    /// Reads the first pages until the first logical stream whose first packet satisfies <paramref name="accept"/>, and
    /// returns a reader positioned on that packet; without such a stream among the first pages, returns no reader and
    /// what the streams are, named by <paramref name="name"/>.
    /// </summary>
    public static async ValueTask<(OggPacketReader? Reader, string Found)> OpenAsync(
        BufferedInput input, Func<ReadOnlySpan<byte>, bool> accept, Func<ReadOnlySpan<byte>, string> name, CancellationToken cancellationToken)
    {
        var pages = new OggPageReader(input);
        var found = new List<string>();
        while (await pages.ReadAsync(cancellationToken).ConfigureAwait(false) && pages.Page.IsFirst)
        {
            var page = pages.Page;
            var firstPacket = FirstPacketLength(page.Lacing);
            var payload = page.Payload[..firstPacket];
            if (accept(payload))
            {
                return (new OggPacketReader(pages, page.Serial), string.Empty);
            }

            found.Add(name(payload));
        }

        return (null, found.Count == 0 ? "Ogg with no stream" : "Ogg with " + string.Join(", ", found));
    }

    /// <inheritdoc/>
    public async ValueTask<EncodedPacket?> ReadAsync(CancellationToken cancellationToken)
    {
        _packetLength = 0;
        while (!_ended)
        {
            if (!_pageLoaded)
            {
                if (!await _pages.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    _ended = true;
                    break;
                }

                if (_pages.Page.Serial != _serial)
                {
                    continue;
                }

                StartPage();
            }

            if (TakeSegments(out var completedLastOnPage) is { } packet)
            {
                var page = _pages.Page;
                _ended = completedLastOnPage && page.IsLast;
                return new EncodedPacket(packet, completedLastOnPage ? page.GranulePosition : -1, _ended, 0);
            }
        }

        return null;
    }

    private void StartPage()
    {
        _pageLoaded = true;
        _segment = 0;
        _payloadOffset = 0;
        var page = _pages.Page;
        if (!page.IsContinued && _inPacket)
        {
            // The rest of the packet never came: drop what was joined.
            _inPacket = false;
            _packetLength = 0;
        }
        else if (page.IsContinued && !_inPacket)
        {
            // The packet's start was lost (or this is the stream's first page claiming a continuation): skip to a boundary.
            SkipContinuation();
        }
    }

    /// <summary>Appends this page's segments up to the end of a packet; the packet when one ended on this page.</summary>
    private ReadOnlyMemory<byte>? TakeSegments(out bool completedLastOnPage)
    {
        var page = _pages.Page;
        var lacing = page.Lacing;
        while (_segment < lacing.Length)
        {
            int size = lacing[_segment++];
            Append(page.Payload.Slice(_payloadOffset, size));
            _payloadOffset += size;
            _inPacket = true;
            if (size < 255)
            {
                _inPacket = false;
                completedLastOnPage = !HasPacketEndAfter(lacing, _segment);
                return _packet.AsMemory(0, _packetLength);
            }
        }

        _pageLoaded = false;
        _ended = page.IsLast;
        completedLastOnPage = false;
        return null;
    }

    private void SkipContinuation()
    {
        var page = _pages.Page;
        while (_segment < page.Lacing.Length)
        {
            int size = page.Lacing[_segment++];
            _payloadOffset += size;
            if (size < 255)
            {
                return;
            }
        }
    }

    private void Append(ReadOnlySpan<byte> segment)
    {
        var needed = _packetLength + segment.Length;
        if (needed > MaxPacketBytes)
        {
            throw new HearsayException(
                HearsayErrorCode.InvalidInput,
                string.Create(CultureInfo.InvariantCulture, $"An Ogg packet is larger than {MaxPacketBytes} bytes; this is not audio Hearsay reads."));
        }

        if (needed > _packet.Length)
        {
            Array.Resize(ref _packet, Math.Min(MaxPacketBytes, Math.Max(needed, _packet.Length * 2)));
        }

        segment.CopyTo(_packet.AsSpan(_packetLength));
        _packetLength = needed;
    }

    private static bool HasPacketEndAfter(ReadOnlySpan<byte> lacing, int segment)
    {
        foreach (var size in lacing[segment..])
        {
            if (size < 255)
            {
                return true;
            }
        }

        return false;
    }

    private static int FirstPacketLength(ReadOnlySpan<byte> lacing)
    {
        var length = 0;
        foreach (var size in lacing)
        {
            length += size;
            if (size < 255)
            {
                break;
            }
        }

        return length;
    }
}
