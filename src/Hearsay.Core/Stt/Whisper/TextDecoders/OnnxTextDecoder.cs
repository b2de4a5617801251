using Hearsay.Core.Onnx;
using Hearsay.Core.Stt.Whisper.Model;
using Microsoft.ML.OnnxRuntime;

namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>
/// The sherpa-onnx decoder graph run by ONNX Runtime. Two self-attention caches alternate as input and output, so a
/// step allocates nothing (the graph itself copies the cache). The reference <see cref="ManagedTextDecoder"/> is
/// checked against, and the fallback for decoder files Hearsay cannot read.
/// </summary>
internal sealed class OnnxTextDecoder : ITextDecoder
{
    private readonly InferenceSession _session;
    private readonly string _path;
    private readonly int _context;
    private readonly int _vocabulary;
    private readonly List<OrtValue> _owned = [];
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
    private readonly float[] _exact;
    private readonly List<double> _normalizers = [];
    private float[] _startLogits = [];
    private int _input;

    public OnnxTextDecoder(InferenceSession session, string path, DecoderDimensions dims, float[] crossKeys, float[] crossValues)
    {
        _session = session;
        _path = path;
        _context = dims.Context;
        _vocabulary = dims.Vocabulary;
        long[] crossShape = [dims.Layers, 1, crossKeys.Length / (dims.Layers * dims.State), dims.State];
        _crossK = Own(crossKeys, crossShape);
        _crossV = Own(crossValues, crossShape);
        long[] selfShape = [dims.Layers, 1, dims.Context, dims.State];
        for (var i = 0; i < 2; i++)
        {
            _selfK[i] = Own(new float[dims.Layers * dims.Context * dims.State], selfShape);
            _selfV[i] = Own(new float[dims.Layers * dims.Context * dims.State], selfShape);
        }

        _offsetValue = Own(_offset, [1]);
        _stepTokenValue = Own(_stepToken, [1, 1]);
        _stepLogits = new float[dims.Vocabulary];
        _exact = new float[dims.Vocabulary];
        _stepLogitsValue = Own(_stepLogits, [1, 1, dims.Vocabulary]);
    }

    public int Offset => (int)_offset[0];

    /// <summary>All zero.</summary>
    public ReadOnlySpan<float> LogitErrors => _exact;

    /// <summary>Nothing to do: the logit is already exact.</summary>
    public void Refine(Span<float> logits, int token)
    {
    }

    public void KeepStep(ReadOnlySpan<float> filteredLogits) => _normalizers.Add(LogProbabilities.LogSumExp(filteredLogits));

    public double[] TakeLogSumExps()
    {
        var normalizers = _normalizers.ToArray();
        _normalizers.Clear();
        return normalizers;
    }

    public ReadOnlySpan<float> Start(IReadOnlyList<int> tokens, int sotIndex, Span<float> sotLogits, CancellationToken cancellationToken)
    {
        var ids = tokens.Select(token => (long)token).ToArray();
        if (_startLogits.Length < ids.Length * _vocabulary)
        {
            _startLogits = new float[ids.Length * _vocabulary];
        }

        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [1, ids.Length]);
        using var logitsValue = OrtValue.CreateTensorValueFromMemory(
            OrtMemoryInfo.DefaultInstance, _startLogits.AsMemory(0, ids.Length * _vocabulary), [1, ids.Length, _vocabulary]);
        _offset[0] = 0;
        Run(idsValue, logitsValue, cancellationToken);
        _offset[0] = ids.Length;
        if (!sotLogits.IsEmpty)
        {
            _startLogits.AsSpan(sotIndex * _vocabulary, _vocabulary).CopyTo(sotLogits);
        }

        return _startLogits.AsSpan((ids.Length - 1) * _vocabulary, _vocabulary);
    }

    public ReadOnlySpan<float> Step(int token, CancellationToken cancellationToken)
    {
        if (_offset[0] >= _context)
        {
            throw new InvalidOperationException($"The decoder context of {_context} positions is full.");
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
            _session,
            _path,
            [WhisperTensorNames.TokensInput, WhisperTensorNames.SelfKIn, WhisperTensorNames.SelfVIn, WhisperTensorNames.CrossK,
                WhisperTensorNames.CrossV, WhisperTensorNames.OffsetInput],
            [tokens, _selfK[_input], _selfV[_input], _crossK, _crossV, _offsetValue],
            [WhisperTensorNames.LogitsOutput, WhisperTensorNames.SelfKOut, WhisperTensorNames.SelfVOut],
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
