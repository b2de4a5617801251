using Hearsay.Core.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Hearsay.Core.Stt.Whisper;

/// <summary>
/// The buffers of one transcription: the mel window, the encoder's cross-attention keys and values, and two
/// self-attention caches that alternate as input and output (so a decoder step allocates nothing and copies the cache
/// once, inside the graph). Not thread-safe; one per transcription.
/// </summary>
internal sealed class WhisperDecoderState : IDisposable
{
    private readonly WhisperOnnxModel _model;
    private readonly List<OrtValue> _owned = [];
    private readonly OrtValue _melValue;
    private readonly OrtValue _crossK;
    private readonly OrtValue _crossV;
    private readonly OrtValue[] _selfK = new OrtValue[2];
    private readonly OrtValue[] _selfV = new OrtValue[2];
    private readonly long[] _offset = new long[1];
    private readonly OrtValue _offsetValue;
    private readonly long[] _stepToken = new long[1];
    private readonly OrtValue _stepTokenValue;
    private readonly float[] _stepLogits;
    private readonly OrtValue _stepLogitsValue;
    private int _input;

    public WhisperDecoderState(WhisperOnnxModel model)
    {
        _model = model;
        var info = model.Info;
        Mel = new float[info.MelCount * Features.WhisperAudio.WindowFrames];
        _melValue = Own(Mel, [1, info.MelCount, Features.WhisperAudio.WindowFrames]);
        long[] crossShape = [info.TextLayers, 1, info.AudioContext, info.TextState];
        _crossK = Own(new float[info.TextLayers * info.AudioContext * info.TextState], crossShape);
        _crossV = Own(new float[info.TextLayers * info.AudioContext * info.TextState], crossShape);
        long[] selfShape = [info.TextLayers, 1, info.TextContext, info.TextState];
        for (var i = 0; i < 2; i++)
        {
            _selfK[i] = Own(new float[info.TextLayers * info.TextContext * info.TextState], selfShape);
            _selfV[i] = Own(new float[info.TextLayers * info.TextContext * info.TextState], selfShape);
        }

        _offsetValue = Own(_offset, [1]);
        _stepTokenValue = Own(_stepToken, [1, 1]);
        _stepLogits = new float[info.VocabularySize];
        _stepLogitsValue = Own(_stepLogits, [1, 1, info.VocabularySize]);
    }

    /// <summary>The encoder's input, [mels, 3000]: write a window's features here, then call <see cref="Encode"/>.</summary>
    public float[] Mel { get; }

    /// <summary>Decoder positions used so far in this window.</summary>
    public int Offset => (int)_offset[0];

    /// <summary>Runs the encoder on <see cref="Mel"/>.</summary>
    public void Encode(CancellationToken cancellationToken) =>
        OnnxSessions.Run(
            _model.Encoder,
            _model.Files.EncoderPath,
            [WhisperOnnxModel.MelInput],
            [_melValue],
            [WhisperOnnxModel.CrossK, WhisperOnnxModel.CrossV],
            [_crossK, _crossV],
            cancellationToken);

    /// <summary>Starts a new sequence: feeds <paramref name="tokens"/> at position 0 and returns the logits of every
    /// position ([tokens, vocabulary], row-major).</summary>
    public float[] Start(IReadOnlyList<int> tokens, CancellationToken cancellationToken)
    {
        var vocabulary = _model.Info.VocabularySize;
        var ids = tokens.Select(token => (long)token).ToArray();
        var logits = new float[ids.Length * vocabulary];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [1, ids.Length]);
        using var logitsValue = OrtValue.CreateTensorValueFromMemory(logits, [1, ids.Length, vocabulary]);
        _offset[0] = 0;
        Run(idsValue, logitsValue, cancellationToken);
        _offset[0] = ids.Length;
        return logits;
    }

    /// <summary>Feeds one token at the next position and returns its logits (valid until the next call).</summary>
    public ReadOnlySpan<float> Step(int token, CancellationToken cancellationToken)
    {
        if (_offset[0] >= _model.Info.TextContext)
        {
            throw new InvalidOperationException($"The decoder context of {_model.Info.TextContext} positions is full.");
        }

        _stepToken[0] = token;
        Run(_stepTokenValue, _stepLogitsValue, cancellationToken);
        _offset[0]++;
        return _stepLogits;
    }

    public void Dispose()
    {
        foreach (var value in _owned)
        {
            value.Dispose();
        }
    }

    private void Run(OrtValue tokens, OrtValue logits, CancellationToken cancellationToken)
    {
        var output = 1 - _input;
        OnnxSessions.Run(
            _model.Decoder,
            _model.Files.DecoderPath,
            [WhisperOnnxModel.TokensInput, WhisperOnnxModel.SelfKIn, WhisperOnnxModel.SelfVIn, WhisperOnnxModel.CrossK,
                WhisperOnnxModel.CrossV, WhisperOnnxModel.OffsetInput],
            [tokens, _selfK[_input], _selfV[_input], _crossK, _crossV, _offsetValue],
            [WhisperOnnxModel.LogitsOutput, WhisperOnnxModel.SelfKOut, WhisperOnnxModel.SelfVOut],
            [logits, _selfK[output], _selfV[output]],
            cancellationToken);
        _input = output;
    }

    private OrtValue Own<T>(T[] buffer, long[] shape)
        where T : unmanaged
    {
        var value = OrtValue.CreateTensorValueFromMemory(buffer, shape);
        _owned.Add(value);
        return value;
    }
}
