using Hearsay.Core.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Hearsay.Core.Stt.Whisper;

/// <summary>
/// The encoder and decoder sessions of a sherpa-onnx Whisper export, with their interface checked against the
/// metadata. Thread-safe: each transcription creates its own <see cref="WhisperDecoderState"/>.
/// </summary>
internal sealed class WhisperOnnxModel : IDisposable
{
    internal const string MelInput = "mel";
    internal const string CrossK = "n_layer_cross_k";
    internal const string CrossV = "n_layer_cross_v";
    internal const string TokensInput = "tokens";
    internal const string SelfKIn = "in_n_layer_self_k_cache";
    internal const string SelfVIn = "in_n_layer_self_v_cache";
    internal const string OffsetInput = "offset";
    internal const string LogitsOutput = "logits";
    internal const string SelfKOut = "out_n_layer_self_k_cache";
    internal const string SelfVOut = "out_n_layer_self_v_cache";

    private WhisperOnnxModel(WhisperModelFiles files, WhisperModelInfo info, InferenceSession encoder, InferenceSession decoder)
    {
        Files = files;
        Info = info;
        Encoder = encoder;
        Decoder = decoder;
    }

    public WhisperModelFiles Files { get; }

    public WhisperModelInfo Info { get; }

    public InferenceSession Encoder { get; }

    public InferenceSession Decoder { get; }

    /// <summary>Creates both sessions and checks them. Slow (parses and optimizes the graphs): call off the caller's thread.</summary>
    public static WhisperOnnxModel Load(WhisperModelFiles files, WhisperSessionOptions options)
    {
        var encoder = OnnxSessions.Create(files.EncoderPath, options.IntraOpThreads, options.AllowSpinning);
        InferenceSession? decoder = null;
        try
        {
            var info = WhisperModelInfo.FromMetadata(encoder.ModelMetadata.CustomMetadataMap.AsReadOnly(), files.EncoderPath);
            RequireTensor(encoder, isInput: true, MelInput, typeof(float), files.EncoderPath);
            RequireTensor(encoder, isInput: false, CrossK, typeof(float), files.EncoderPath);
            RequireTensor(encoder, isInput: false, CrossV, typeof(float), files.EncoderPath);

            decoder = OnnxSessions.Create(files.DecoderPath, options.IntraOpThreads, options.AllowSpinning);
            RequireTensor(decoder, isInput: true, TokensInput, typeof(long), files.DecoderPath);
            RequireTensor(decoder, isInput: true, OffsetInput, typeof(long), files.DecoderPath);
            foreach (var name in new[] { SelfKIn, SelfVIn, CrossK, CrossV })
            {
                RequireTensor(decoder, isInput: true, name, typeof(float), files.DecoderPath);
            }

            foreach (var name in new[] { LogitsOutput, SelfKOut, SelfVOut })
            {
                RequireTensor(decoder, isInput: false, name, typeof(float), files.DecoderPath);
            }

            return new WhisperOnnxModel(files, info, encoder, decoder);
        }
        catch
        {
            encoder.Dispose();
            decoder?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Encoder.Dispose();
        Decoder.Dispose();
    }

    private static void RequireTensor(InferenceSession session, bool isInput, string name, Type elementType, string path)
    {
        var map = isInput ? session.InputMetadata : session.OutputMetadata;
        if (!map.TryGetValue(name, out var metadata) || metadata.ElementType != elementType)
        {
            var kind = isInput ? "input" : "output";
            throw new ModelLoadException(
                HearsayErrorCode.ModelInvalid,
                path,
                $"is not a sherpa-onnx Whisper model: it has no {elementType.Name} {kind} '{name}'");
        }
    }
}
