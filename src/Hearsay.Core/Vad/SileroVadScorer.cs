using Microsoft.ML.OnnxRuntime;

namespace Hearsay.Core.Vad;

/// <summary>
/// Scores the frames of one audio stream with a <see cref="SileroVadModel"/>, carrying the model's recurrent state
/// (and, for v5/v6, the last 64 samples of the previous frame) from frame to frame.
/// </summary>
/// <remarks>
/// Not thread-safe: feed a scorer from one thread at a time. Scorers of the same model may run concurrently. The
/// tensors are allocated once per scorer, so scoring a frame allocates (almost) nothing.
/// </remarks>
public sealed class SileroVadScorer : IDisposable
{
    private readonly SileroVadModel _model;
    private readonly float[] _input;
    private readonly float[] _probability = new float[1];
    private readonly float[][] _states;
    private readonly float[][] _nextStates;
    private readonly List<OrtValue> _values = [];
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private int _disposed;

    internal SileroVadScorer(SileroVadModel model)
    {
        _model = model;
        var signature = model.Signature;
        _input = new float[signature.InputWidth];
        _states = [.. signature.States.Select(s => new float[s.Length])];
        _nextStates = [.. signature.States.Select(s => new float[s.Length])];
        try
        {
            // Each OrtValue pins its array for the scorer's lifetime, and the binding hands the same tensors to every
            // run: the model reads and writes the arrays in place, and a frame allocates nothing.
            _binding = model.Session.CreateIoBinding();
            Bind(SileroVadSignature.Audio, _input, [1, _input.Length], output: false);
            _values.Add(OrtValue.CreateTensorValueFromMemory(new long[] { SileroVadModel.SampleRate }, signature.SampleRateShape));
            _binding.BindInput(SileroVadSignature.SampleRateInput, _values[^1]);
            Bind(SileroVadSignature.Probability, _probability, [1, 1], output: true);
            for (var i = 0; i < _states.Length; i++)
            {
                var state = signature.States[i];
                Bind(state.Input, _states[i], [2, 1, state.Width], output: false);
                Bind(state.Output, _nextStates[i], [2, 1, state.Width], output: true);
            }
        }
        catch
        {
            Release();
            throw;
        }
    }

    /// <summary>Number of frames scored since the scorer was created or reset.</summary>
    public long FrameCount { get; private set; }

    /// <summary>Scores the next frame of the stream.</summary>
    /// <param name="frame">Exactly <see cref="SileroVadModel.FrameSize"/> samples of 16 kHz mono audio in [-1, 1];
    /// zero-pad the last frame of a stream if it is short, as Silero does.</param>
    /// <returns>The probability, from 0 to 1, that the frame is speech.</returns>
    /// <exception cref="ArgumentException"><paramref name="frame"/> is not 512 samples long.</exception>
    /// <exception cref="HearsayException">ONNX Runtime failed (<see cref="HearsayErrorCode.InferenceFailed"/>).</exception>
    public float Process(ReadOnlySpan<float> frame)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _model.ThrowIfDisposed();
        if (frame.Length != SileroVadModel.FrameSize)
        {
            throw new ArgumentException(
                $"A frame is {SileroVadModel.FrameSize} samples at {SileroVadModel.SampleRate} Hz; got {frame.Length}.", nameof(frame));
        }

        var context = _model.Signature.ContextSize;
        frame.CopyTo(_input.AsSpan(context));
        try
        {
            _model.Session.RunWithBinding(_runOptions, _binding);
        }
        catch (OnnxRuntimeException e)
        {
            throw new HearsayException(HearsayErrorCode.InferenceFailed, $"The Silero VAD model {_model.Source} failed to run: {e.Message}", e);
        }

        for (var i = 0; i < _states.Length; i++)
        {
            _nextStates[i].CopyTo(_states[i], 0);
        }

        // v5/v6 see the end of the previous frame first (Silero's 64-sample context).
        if (context > 0)
        {
            frame[^context..].CopyTo(_input);
        }

        FrameCount++;
        return _probability[0];
    }

    /// <summary>Forgets the stream's history, as for new audio (Silero's <c>reset_states</c>).</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        Array.Clear(_input);
        foreach (var state in _states)
        {
            Array.Clear(state);
        }

        FrameCount = 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Release();
        }
    }

    private void Bind(string name, float[] data, long[] shape, bool output)
    {
        var value = OrtValue.CreateTensorValueFromMemory(data, shape);
        _values.Add(value);
        if (output)
        {
            _binding.BindOutput(name, value);
        }
        else
        {
            _binding.BindInput(name, value);
        }
    }

    private void Release()
    {
        _binding?.Dispose();
        _values.ForEach(v => v.Dispose());
        _runOptions.Dispose();
    }
}
