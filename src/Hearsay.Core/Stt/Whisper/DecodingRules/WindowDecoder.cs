using Hearsay.Core.Stt.Whisper.Model;
using Hearsay.Core.Stt.Whisper.TextDecoders;

namespace Hearsay.Core.Stt.Whisper.DecodingRules;

/// <summary>
/// Decodes one encoded 30 s window token by token with the KV cache, applying OpenAI's logit filters in OpenAI's
/// order, greedily at temperature 0 and by sampling above it. The token choice is a single method so beam search can
/// be added beside it.
/// </summary>
internal sealed class WindowDecoder
{
    private readonly WhisperModelInfo _info;
    private readonly WhisperTokenizer _tokenizer;
    private readonly ILogitFilter[] _filters;
    private readonly int _sampleLength;
    private readonly TemperatureSampling _sampling = new();

    public WindowDecoder(WhisperModelInfo info, WhisperTokenizer tokenizer, double? maxInitialTimestamp, int? maxTokens)
    {
        _info = info;
        _tokenizer = tokenizer;
        _sampleLength = Math.Min(maxTokens ?? int.MaxValue, info.TextContext / 2);
        int? maxInitialIndex = maxInitialTimestamp is { } seconds ? (int)Math.Round(seconds / info.TimePrecision) : null;
        _filters =
        [
            new SuppressBlankFilter(info.BlankId, info.Eot),
            new SuppressTokensFilter(info),
            new TimestampRulesFilter(info, maxInitialIndex is > 0 ? maxInitialIndex : null),
        ];
    }

    /// <summary>The language token the model finds most likely after start-of-transcript.</summary>
    public int DetectLanguage(ITextDecoder decoder, CancellationToken cancellationToken)
    {
        // OpenAI masks every other token and takes the argmax.
        var logits = new float[_info.VocabularySize];
        logits.AsSpan().Fill(float.NegativeInfinity);
        var estimated = decoder.Start([_info.Sot], 0, [], cancellationToken);
        foreach (var token in _info.LanguageTokens)
        {
            logits[token] = estimated[token];
        }

        LogitRefinement.ForChoice(decoder, logits);
        return LogProbabilities.ArgMax(logits);
    }

    /// <summary>Decodes the window whose encoder output <paramref name="decoder"/> reads.</summary>
    /// <param name="decoder">The text decoder over the encoded window, with its caches.</param>
    /// <param name="initialTokens">Prompt (with start-of-previous) and the start-of-transcript sequence.</param>
    /// <param name="temperature">0 for greedy.</param>
    /// <param name="random">Used when <paramref name="temperature"/> is above 0.</param>
    /// <param name="cancellationToken">Stops between and inside decoder runs.</param>
    public WindowDecodeResult Decode(
        ITextDecoder decoder, IReadOnlyList<int> initialTokens, double temperature, Random random, CancellationToken cancellationToken)
    {
        var vocabulary = _info.VocabularySize;
        // Steps a cancelled or failed window kept would misalign this window's normalizers with its tokens.
        decoder.TakeLogSumExps();
        var atSot = new float[vocabulary];
        var logits = decoder.Start(initialTokens, IndexOf(initialTokens, _info.Sot), atSot, cancellationToken).ToArray();
        var noSpeechProb = Math.Exp(LogProbabilities.LogSoftmaxAt(atSot, _info.NoSpeech));
        var sampled = new List<int>();
        var chosenLogits = new List<double>();
        for (var step = 0; step < _sampleLength; step++)
        {
            foreach (var filter in _filters)
            {
                filter.Apply(logits, sampled, decoder);
            }

            LogitRefinement.ForChoice(decoder, logits);
            var next = temperature == 0 ? LogProbabilities.ArgMax(logits) : _sampling.Sample(decoder, logits, temperature, random);
            chosenLogits.Add(logits[next]);
            decoder.KeepStep(logits);
            if (next == _info.Eot)
            {
                break;
            }

            sampled.Add(next);
            if (initialTokens.Count + sampled.Count > _info.TextContext || step == _sampleLength - 1)
            {
                break;
            }

            decoder.Step(next, cancellationToken).CopyTo(logits);
        }

        // log softmax(logits)[chosen] = logit − log Σ exp(logits), the normalizers summed for the whole window at once.
        var normalizers = decoder.TakeLogSumExps();
        var sumLogprob = chosenLogits.Select((logit, step) => logit - normalizers[step]).Sum();
        var text = _tokenizer.Decode(sampled).Trim();
        return new WindowDecodeResult(
            sampled,
            text,
            sumLogprob / (sampled.Count + 1),
            noSpeechProb,
            temperature,
            CompressionRatio.Of(text));
    }

    private static int IndexOf(IReadOnlyList<int> tokens, int token)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] == token)
            {
                return i;
            }
        }

        throw new ArgumentException("The initial tokens lack start-of-transcript.", nameof(tokens));
    }
}
