using Hearsay.Core.Onnx;
using Hearsay.Core.Stt.Whisper.Decoder;
using Hearsay.Core.Stt.Whisper.Decoding;
using Microsoft.ML.OnnxRuntime;

namespace Hearsay.Core.Stt.Whisper;

/// <summary>
/// The buffers of one transcription: the mel window, the encoder's cross-attention keys and values, and the text
/// decoder that reads them. Not thread-safe; one per transcription.
/// </summary>
internal sealed class WhisperDecoderState : ILogitEstimates, IDisposable
{
    private readonly WhisperOnnxModel _model;
    private readonly OrtValue _melValue;
    private readonly OrtValue _crossK;
    private readonly OrtValue _crossV;
    private readonly ITextDecoder _decoder;

    public WhisperDecoderState(WhisperOnnxModel model)
    {
        _model = model;
        var info = model.Info;
        Mel = new float[info.MelCount * Features.WhisperAudio.WindowFrames];
        _melValue = OrtValue.CreateTensorValueFromMemory(Mel, [1, info.MelCount, Features.WhisperAudio.WindowFrames]);
        long[] crossShape = [info.TextLayers, 1, info.AudioContext, info.TextState];
        var crossKeys = new float[info.TextLayers * info.AudioContext * info.TextState];
        var crossValues = new float[crossKeys.Length];
        _crossK = OrtValue.CreateTensorValueFromMemory(crossKeys, crossShape);
        _crossV = OrtValue.CreateTensorValueFromMemory(crossValues, crossShape);
        _decoder = model.CreateTextDecoder(crossKeys, crossValues);
    }

    /// <summary>The encoder's input, [mels, 3000]: write a window's features here, then call <see cref="Encode"/>.</summary>
    public float[] Mel { get; }

    /// <summary>Decoder positions used so far in this window.</summary>
    public int Offset => _decoder.Offset;

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

    /// <inheritdoc cref="ITextDecoder.Start"/>
    public ReadOnlySpan<float> Start(IReadOnlyList<int> tokens, int sotIndex, Span<float> sotLogits, CancellationToken cancellationToken) =>
        _decoder.Start(tokens, sotIndex, sotLogits, cancellationToken);

    /// <inheritdoc cref="ITextDecoder.Step"/>
    public ReadOnlySpan<float> Step(int token, CancellationToken cancellationToken) => _decoder.Step(token, cancellationToken);

    public bool ExactLogits
    {
        get => _decoder.ExactLogits;
        set => _decoder.ExactLogits = value;
    }

    public ReadOnlySpan<float> LogitErrors => _decoder.LogitErrors;

    public void Refine(Span<float> logits, int token) => _decoder.Refine(logits, token);

    public void KeepStep(ReadOnlySpan<float> filteredLogits) => _decoder.KeepStep(filteredLogits);

    public double[] TakeLogSumExps() => _decoder.TakeLogSumExps();

    public void Dispose()
    {
        _decoder.Dispose();
        _melValue.Dispose();
        _crossK.Dispose();
        _crossV.Dispose();
    }
}
