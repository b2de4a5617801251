using System.Collections.Concurrent;

namespace Hearsay.Core.Stt.Whisper;

/// <summary>
/// Decoder states kept between transcriptions, one per run in flight. A state holds the window's features, the
/// encoder's cross-attention keys and values and the decoder's caches (about 25 MB for tiny.en): allocated per run,
/// they sat on the large-object heap until a full collection, and a server's memory climbed with every request.
/// </summary>
/// <remarks>A state is reused as a run reuses it from one window to the next: every window overwrites what it reads.</remarks>
internal sealed class DecoderStatePool(WhisperOnnxModel model) : IDisposable
{
    private readonly ConcurrentBag<WhisperDecoderState> _idle = [];

    /// <summary>An idle state, or a new one; disposing the lease gives it back.</summary>
    public Lease Rent() => new(this, _idle.TryTake(out var state) ? state : new WhisperDecoderState(model));

    public void Dispose()
    {
        while (_idle.TryTake(out var state))
        {
            state.Dispose();
        }
    }

    /// <summary>One run's use of a state.</summary>
    public sealed class Lease(DecoderStatePool pool, WhisperDecoderState state) : IDisposable
    {
        private int _returned;

        public WhisperDecoderState State { get; } = state;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0)
            {
                pool._idle.Add(State);
            }
        }
    }
}
