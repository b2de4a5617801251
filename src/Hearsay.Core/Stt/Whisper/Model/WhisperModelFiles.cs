namespace Hearsay.Core.Stt.Whisper.Model;

/// <summary>Which weights to load when a model folder holds both the fp32 and the int8 files.</summary>
public enum WhisperPrecision
{
    /// <summary>fp32 when present, else int8.</summary>
    Auto,

    /// <summary>The <c>*-encoder.onnx</c> and <c>*-decoder.onnx</c> files.</summary>
    Full,

    /// <summary>The <c>*-encoder.int8.onnx</c> and <c>*-decoder.int8.onnx</c> files.</summary>
    Quantized,
}

/// <summary>The three files of a sherpa-onnx Whisper export: encoder, decoder and tokens.</summary>
/// <param name="EncoderPath">Full path of <c>NAME-encoder[.int8].onnx</c>.</param>
/// <param name="DecoderPath">Full path of <c>NAME-decoder[.int8].onnx</c>.</param>
/// <param name="TokensPath">Full path of <c>NAME-tokens.txt</c>.</param>
public sealed record WhisperModelFiles(string EncoderPath, string DecoderPath, string TokensPath)
{
    private const string EncoderSuffix = "-encoder.onnx";
    private const string Int8EncoderSuffix = "-encoder.int8.onnx";

    /// <summary>Finds the files in a model folder.</summary>
    /// <exception cref="ModelLoadException">The folder or one of the files is missing, or the choice is ambiguous.</exception>
    public static WhisperModelFiles Find(string modelDirectory, WhisperPrecision precision = WhisperPrecision.Auto)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelDirectory);
        var directory = Path.GetFullPath(modelDirectory);
        if (!Directory.Exists(directory))
        {
            throw new ModelLoadException(HearsayErrorCode.ModelNotFound, directory, "model folder not found");
        }

        var fp32 = Candidates(directory, EncoderSuffix);
        var int8 = Candidates(directory, Int8EncoderSuffix);
        var (encoders, suffix) = precision switch
        {
            WhisperPrecision.Full => (fp32, EncoderSuffix),
            WhisperPrecision.Quantized => (int8, Int8EncoderSuffix),
            _ => fp32.Count > 0 ? (fp32, EncoderSuffix) : (int8, Int8EncoderSuffix),
        };

        if (encoders.Count != 1)
        {
            var wanted = precision == WhisperPrecision.Auto ? $"*{EncoderSuffix} or *{Int8EncoderSuffix}" : $"*{suffix}";
            var problem = encoders.Count == 0
                ? $"holds no Whisper encoder ({wanted}); a model folder holds NAME-encoder.onnx, NAME-decoder.onnx and NAME-tokens.txt"
                : $"holds {encoders.Count} encoders ({string.Join(", ", encoders.Select(Path.GetFileName))}); keep one model per folder";
            throw new ModelLoadException(HearsayErrorCode.ModelNotFound, directory, problem);
        }

        var encoder = encoders[0];
        var name = Path.GetFileName(encoder)[..^suffix.Length];
        var decoder = Path.Combine(directory, name + suffix.Replace("encoder", "decoder", StringComparison.Ordinal));
        var tokens = Path.Combine(directory, name + "-tokens.txt");
        foreach (var required in new[] { decoder, tokens })
        {
            if (!File.Exists(required))
            {
                throw new ModelLoadException(HearsayErrorCode.ModelNotFound, required, $"missing next to {Path.GetFileName(encoder)}");
            }
        }

        return new WhisperModelFiles(encoder, decoder, tokens);
    }

    private static List<string> Candidates(string directory, string suffix) =>
        Directory.EnumerateFiles(directory, "*" + suffix)
            .Where(path => suffix == Int8EncoderSuffix || !path.EndsWith(Int8EncoderSuffix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
}
