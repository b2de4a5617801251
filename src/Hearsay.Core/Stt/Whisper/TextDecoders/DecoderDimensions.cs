using Hearsay.Core.Stt.Whisper.Model;

namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>The shape of a Whisper text decoder.</summary>
internal sealed record DecoderDimensions(int Layers, int State, int Heads, int Vocabulary, int Context)
{
    public int HeadSize => State / Heads;

    public static DecoderDimensions Of(WhisperModelInfo info) =>
        new(info.TextLayers, info.TextState, info.TextHeads, info.VocabularySize, info.TextContext);
}
