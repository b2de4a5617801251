namespace Hearsay.Core.Audio.Input.Matroska;

/// <summary>
/// Reads the frames of one track from the Clusters of a Matroska/WebM Segment, element by element. Segment and Cluster
/// are entered rather than read whole, so their sizes may be unknown (Chromium's MediaRecorder writes them so, with no
/// Duration and no Cues); every other element is read (if it is a block, bounded) or skipped.
/// </summary>
internal sealed class MatroskaDemuxer : IPacketSource
{
    private readonly EbmlStreamReader _reader;
    private readonly ulong _track;
    private readonly long? _segmentEnd;
    private readonly Range[] _frames = new Range[MatroskaBlock.MaxFrames];
    private ReadOnlyMemory<byte> _block;
    private int _frameCount;
    private int _nextFrame;
    private long _discardPaddingNs;
    private bool _ended;

    public MatroskaDemuxer(EbmlStreamReader reader, ulong track, long? segmentEnd)
    {
        _reader = reader;
        _track = track;
        _segmentEnd = segmentEnd;
    }

    /// <summary>The track whose frames are read.</summary>
    public ulong Track => _track;

    /// <inheritdoc/>
    public async ValueTask<EncodedPacket?> ReadAsync(CancellationToken cancellationToken)
    {
        while (_nextFrame == _frameCount)
        {
            if (_ended || _reader.Position >= _segmentEnd || await _reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false) is not { } element)
            {
                _ended = true;
                return null;
            }

            await ReadElementAsync(element.Id, element.Size, cancellationToken).ConfigureAwait(false);
        }

        var frame = _frames[_nextFrame++];
        var isLastOfBlock = _nextFrame == _frameCount;
        return new EncodedPacket(_block[frame], -1, false, isLastOfBlock ? _discardPaddingNs : 0);
    }

    private async ValueTask ReadElementAsync(uint id, long size, CancellationToken cancellationToken)
    {
        switch (id)
        {
            case MatroskaIds.Cluster:
                // Enter it: its blocks follow as the next elements, whether its size is known or not.
                break;
            case MatroskaIds.SimpleBlock:
                SetBlock(await _reader.ReadBodyAsync(id, size, cancellationToken).ConfigureAwait(false), 0);
                break;
            case MatroskaIds.BlockGroup:
                ReadBlockGroup(await _reader.ReadBodyAsync(id, size, cancellationToken).ConfigureAwait(false));
                break;
            case MatroskaIds.EbmlHeader or MatroskaIds.Segment:
                // A second Segment is another recording chained on; this one's audio has ended.
                _ended = true;
                break;
            default:
                await _reader.SkipBodyAsync(id, size, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private void ReadBlockGroup(ReadOnlyMemory<byte> group)
    {
        Range? block = null;
        long discardPadding = 0;
        var children = new EbmlChildren(group.Span);
        while (children.MoveNext())
        {
            if (children.Id == MatroskaIds.Block)
            {
                block = children.BodyOffset..(children.BodyOffset + children.Body.Length);
            }
            else if (children.Id == MatroskaIds.DiscardPadding)
            {
                // Negative padding (audio to add back) has no meaning for a decoder; it is ignored.
                discardPadding = Math.Max(0, children.ReadSigned());
            }
        }

        if (block is { } range)
        {
            SetBlock(group[range], discardPadding);
        }
    }

    private void SetBlock(ReadOnlyMemory<byte> block, long discardPaddingNs)
    {
        if (MatroskaBlock.TrackNumber(block.Span) != _track)
        {
            return;
        }

        _block = block;
        _frameCount = MatroskaBlock.Frames(block.Span, _frames);
        _nextFrame = 0;
        _discardPaddingNs = discardPaddingNs;
    }
}
