namespace Hearsay.Core.Stt.Whisper.Model;

/// <summary>The input and output names of sherpa-onnx's Whisper export: the encoder's, and the decoder graph's.</summary>
internal static class WhisperTensorNames
{
    public const string MelInput = "mel";
    public const string CrossK = "n_layer_cross_k";
    public const string CrossV = "n_layer_cross_v";
    public const string TokensInput = "tokens";
    public const string SelfKIn = "in_n_layer_self_k_cache";
    public const string SelfVIn = "in_n_layer_self_v_cache";
    public const string OffsetInput = "offset";
    public const string LogitsOutput = "logits";
    public const string SelfKOut = "out_n_layer_self_k_cache";
    public const string SelfVOut = "out_n_layer_self_v_cache";
}
