using Hearsay.Core.Onnx;
using Hearsay.Core.Stt.Whisper.Features;
using Hearsay.Core.Stt.Whisper.Model;
using Hearsay.Core.Stt.Whisper.TextDecoders;
using Microsoft.ML.OnnxRuntime;

namespace Hearsay.Core.Stt.Whisper;

/// <summary>
/// The buffers of one transcription: the mel window, the encoder's cross-attention keys and values, and the text
/// decoder that reads them. Not thread-safe; one per transcription.
/// </summary>
internal sealed class WhisperDecoderState : IDisposable
{
    private readonly WhisperOnnxModel _model;
    private readonly OrtValue _melValue;
    private readonly OrtValue _crossK;
    private readonly OrtValue _crossV;

    public WhisperDecoderState(WhisperOnnxModel model)
    {
        _model = model;
        var info = model.Info;
        Mel = new float[info.MelCount * WhisperAudio.WindowFrames];
        _melValue = OrtValue.CreateTensorValueFromMemory(Mel, [1, info.MelCount, WhisperAudio.WindowFrames]);
        long[] crossShape = [info.TextLayers, 1, info.AudioContext, info.TextState];
        var crossKeys = new float[info.TextLayers * info.AudioContext * info.TextState];
        var crossValues = new float[crossKeys.Length];
        _crossK = OrtValue.CreateTensorValueFromMemory(crossKeys, crossShape);
        _crossV = OrtValue.CreateTensorValueFromMemory(crossValues, crossShape);
        TextDecoder = model.CreateTextDecoder(crossKeys, crossValues);
    }

    /// <summary>The encoder's input, [mels, 3000]: write a window's features here, then call <see cref="Encode"/>.</summary>
    public float[] Mel { get; }

    /// <summary>The text decoder over the encoder's output for the current window.</summary>
    public ITextDecoder TextDecoder { get; }

    /// <summary>Runs the encoder on <see cref="Mel"/>.</summary>
    public void Encode(CancellationToken cancellationToken) =>
        OnnxSessions.Run(
            _model.Encoder,
            _model.Files.EncoderPath,
            [WhisperTensorNames.MelInput],
            [_melValue],
            [WhisperTensorNames.CrossK, WhisperTensorNames.CrossV],
            [_crossK, _crossV],
            cancellationToken);

    public void Dispose()
    {
        TextDecoder.Dispose();
        _melValue.Dispose();
        _crossK.Dispose();
        _crossV.Dispose();
    }
}
