namespace Hearsay.Core.Stt.Whisper;

/// <summary>
/// Maps times in audio that was cut and joined (speech pieces packed into one window) back to the input's timeline.
/// </summary>
internal sealed class TimelineMap
{
    private readonly List<(double PackedStart, double OriginalStart, double Length)> _pieces = [];

    /// <summary>The identity map, for audio that was not cut.</summary>
    public static TimelineMap Identity { get; } = new();

    /// <summary>Appends a piece: <paramref name="length"/> seconds taken from <paramref name="originalStart"/>.</summary>
    public void Add(double packedStart, double originalStart, double length) => _pieces.Add((packedStart, originalStart, length));

    /// <summary>The input time of packed time <paramref name="time"/>. An end time that falls exactly on a joint
    /// belongs to the piece before it; a start time, to the piece after.</summary>
    public double ToOriginal(double time, bool isEnd = false)
    {
        if (_pieces.Count == 0)
        {
            return time;
        }

        var piece = _pieces[^1];
        foreach (var candidate in _pieces)
        {
            var pieceEnd = candidate.PackedStart + candidate.Length;
            if (isEnd ? time <= pieceEnd : time < pieceEnd)
            {
                piece = candidate;
                break;
            }
        }

        // A timestamp past the packed audio (the model may run beyond it) stays within its piece.
        return piece.OriginalStart + Math.Clamp(time - piece.PackedStart, 0, piece.Length);
    }
}
