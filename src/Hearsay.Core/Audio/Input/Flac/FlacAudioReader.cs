namespace Hearsay.Core.Audio.Input.Flac;

/// <summary>
/// Decodes a FLAC stream frame by frame to mono floats (the channels averaged, each sample scaled by
/// 1 / 2^(bits − 1)) at the stream's own rate. Frames carry no length, so a window of input is kept that grows only
/// while a frame does not fit in it, up to the largest frame STREAMINFO allows.
/// </summary>
internal sealed class FlacAudioReader : MonoAudioReader
{
    private const int InitialWindowBytes = 64 * 1024;

    private readonly BufferedInput _input;
    private readonly float _scale;
    private byte[] _window = new byte[InitialWindowBytes];
    private int _start;
    private int _end;
    private bool _inputEnded;
    private int _returned;

    private FlacAudioReader(BufferedInput input, FlacStreamInfo stream)
    {
        _input = input;
        Decoder = new FlacFrameDecoder(stream);
        _scale = 1f / (1L << (stream.BitsPerSample - 1)) / stream.Channels;
    }

    public FlacStreamInfo Stream => Decoder.Stream;

    /// <summary>The current frame's integer samples, after <see cref="NextFrameAsync"/> returned true.</summary>
    public FlacFrameDecoder Decoder { get; }

    public override int SampleRate => Stream.SampleRate;

    public override long? TotalSamples => null;

    /// <summary>Reads the metadata from <paramref name="input"/>, at the <c>fLaC</c> marker.</summary>
    public static async ValueTask<FlacAudioReader> OpenAsync(BufferedInput input, CancellationToken cancellationToken)
    {
        var stream = await FlacMetadataReader.ReadAsync(input, cancellationToken).ConfigureAwait(false);
        return new FlacAudioReader(input, stream);
    }

    public override async ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }

        if (_returned == Decoder.BlockSize)
        {
            if (!await NextFrameAsync(cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }

            _returned = 0;
        }

        var count = Math.Min(destination.Length, Decoder.BlockSize - _returned);
        MixDown(destination.Span[..count]);
        _returned += count;
        return count;
    }

    /// <summary>Decodes the next frame into <see cref="Decoder"/>; false at the end of the stream.</summary>
    public async ValueTask<bool> NextFrameAsync(CancellationToken cancellationToken)
    {
        var grown = false;
        while (true)
        {
            await FillAsync(grown, cancellationToken).ConfigureAwait(false);
            if (_end == _start || IsTrailingTag(_window.AsSpan(_start, _end - _start)))
            {
                return false;
            }

            try
            {
                _start += Decoder.Decode(_window.AsSpan(_start, _end - _start));
                return true;
            }
            catch (HearsayException) when (!_inputEnded && _end - _start < Stream.MaxFrameBytes)
            {
                // The frame may just not fit yet: decode it again with more of the input in view.
                Grow();
                grown = true;
            }
        }
    }

    private void MixDown(Span<float> destination)
    {
        var first = Decoder.Channel(0).Slice(_returned, destination.Length);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = first[i] * _scale;
        }

        for (var channel = 1; channel < Stream.Channels; channel++)
        {
            var samples = Decoder.Channel(channel).Slice(_returned, destination.Length);
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] += samples[i] * _scale;
            }
        }

        // A valid stream stays in range; a corrupt one whose CRCs still match may predict past it.
        foreach (ref var sample in destination)
        {
            sample = Math.Clamp(sample, -1f, 1f);
        }
    }

    /// <summary>
    /// Reads until the window is full or the input ends, when less than half of it is left to decode or
    /// <paramref name="always"/>.
    /// </summary>
    private async ValueTask FillAsync(bool always, CancellationToken cancellationToken)
    {
        if (_inputEnded || (!always && _end - _start >= _window.Length / 2))
        {
            return;
        }

        _window.AsSpan(_start, _end - _start).CopyTo(_window);
        _end -= _start;
        _start = 0;
        while (_end < _window.Length)
        {
            var read = await _input.ReadAsync(_window.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _inputEnded = true;
                return;
            }

            _end += read;
        }
    }

    private void Grow()
    {
        var larger = new byte[(int)Math.Min((long)_window.Length * 2, Stream.MaxFrameBytes + (long)InitialWindowBytes)];
        _window.AsSpan(_start, _end - _start).CopyTo(larger);
        _end -= _start;
        _start = 0;
        _window = larger;
    }

    // Tags some tools append after the last frame (ID3v1, ID3v2, APE) end the audio, as ffmpeg treats them.
    private static bool IsTrailingTag(ReadOnlySpan<byte> data) =>
        data.StartsWith("TAG"u8) || data.StartsWith("ID3"u8) || data.StartsWith("APETAGEX"u8);
}
