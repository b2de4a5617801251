using System.Runtime.CompilerServices;
using Hearsay.Core.Diagnostics;
using Hearsay.Core.Stt.Whisper.DecodingRules;
using Hearsay.Core.Stt.Whisper.Features;
using Hearsay.Core.Stt.Whisper.Model;
using Hearsay.Core.Stt.Whisper.TextDecoders;
using Hearsay.Core.Stt.Whisper.Words;
using Microsoft.Extensions.Logging;

namespace Hearsay.Core.Stt.Whisper;

/// <summary>
/// One transcription: OpenAI's <c>transcribe</c> loop over 30 s windows (seek by the last timestamp, temperature
/// fallback, no-speech skipping, previous text as prompt), carrying its context across the pieces of audio it is
/// given so VAD chunks read as one text. With word timestamps, each window's words are aligned after it is decoded
/// and the next window starts at the last word's end, as OpenAI's <c>transcribe</c> does.
/// </summary>
internal sealed class WhisperTranscriptionRun
{
    private readonly WhisperOnnxModel _model;
    private readonly WhisperTokenizer _tokenizer;
    private readonly TranscribeOptions _options;
    private readonly WindowDecoder _decoder;
    private readonly WhisperDecoderState _state;
    private readonly LogMelSpectrogram _features;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly WindowWordAligner? _wordAligner;
    private readonly List<int> _allTokens = [];
    private readonly int _promptLength;
    private int _promptResetSince;
    private int _languageToken;
    private int _nextId;
    private double _lastSpeech;

    /// <summary>
    /// A run working in <paramref name="state"/>, which the caller owns (see <see cref="DecoderStatePool"/>). The prompt
    /// is encoded here, so <paramref name="cancellationToken"/> stops that too. Each window's decisions are logged at
    /// debug level to <paramref name="logger"/>.
    /// </summary>
    public WhisperTranscriptionRun(
        WhisperOnnxModel model,
        WhisperTokenizer tokenizer,
        TranscribeOptions options,
        WhisperDecoderState state,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        options.Validate();
        _model = model;
        _tokenizer = tokenizer;
        _options = options;
        _logger = logger;
        var info = model.Info;
        _decoder = new WindowDecoder(info, tokenizer, options.MaxInitialTimestamp, options.MaxTokensPerWindow);
        _features = new LogMelSpectrogram(info.MelCount);
        _random = options.Seed is { } seed ? new Random(seed) : new Random();
        ResolveLanguage(info, options);
        if (!string.IsNullOrWhiteSpace(options.Prompt))
        {
            var prompt = tokenizer.Encode(" " + options.Prompt.Trim(), cancellationToken);
            // Only the last tokens ever reach the decoder, so only those are kept.
            _allTokens.AddRange(prompt.Skip(Math.Max(0, prompt.Count - PromptLimit)));
        }

        _promptLength = _allTokens.Count;
        _state = state;
        if (options.WordTimestamps)
        {
            if (state.TextDecoder is not ICrossAttentionScores)
            {
                throw new HearsayException(
                    HearsayErrorCode.InvalidInput,
                    $"word timestamps need Hearsay's own Whisper decoder, which computes the cross-attention words are aligned with; {model.Files.DecoderPath} runs on ONNX Runtime, whose graph has no cross-attention output")
                {
                    OptionName = nameof(TranscribeOptions.WordTimestamps),
                };
            }

            _wordAligner = new WindowWordAligner(info, tokenizer);
        }
    }

    /// <summary>The language code, once given or detected.</summary>
    public string? Language { get; private set; }

    /// <summary>The text of every segment so far.</summary>
    public string Text => _tokenizer.Decode(_allTokens.Skip(_promptLength));

    /// <summary>
    /// How many tokens of previous text (the prompt, then the text so far) a window sees: OpenAI's decoding keeps
    /// <c>prompt_tokens[-(n_text_ctx // 2 - 1):]</c>, leaving the other half of the context to the sampled text.
    /// </summary>
    private int PromptLimit => (_model.Info.TextContext / 2) - 1;

    /// <summary>
    /// Transcribes <paramref name="audio"/> window by window and yields its segments with times on the input's
    /// timeline (through <paramref name="timeline"/>).
    /// </summary>
    public async IAsyncEnumerable<TranscriptionSegment> TranscribeAsync(
        AudioWindowBuffer audio,
        TimelineMap timeline,
        Action<double>? progress,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long seek = 0;
        // Each piece of audio has its own timeline, starting at 0.
        _lastSpeech = 0;
        while (true)
        {
            await audio.FillToAsync(LogMelSpectrogram.EndSampleNeeded(seek), cancellationToken).ConfigureAwait(false);
            var contentFrames = audio.TotalSamples is { } total ? WhisperAudio.ContentFrames(total) : long.MaxValue;
            if (seek >= contentFrames)
            {
                yield break;
            }

            var windowFrames = (int)Math.Min(WhisperAudio.WindowFrames, contentFrames - seek);
            var windowSeek = seek;
            var (segments, advance) = await RunOnOwnThread(
                () => DecodeWindow(audio, windowSeek, windowFrames, cancellationToken), cancellationToken).ConfigureAwait(false);
            var offset = WhisperAudio.FramesToSeconds(windowSeek);
            var originalSeek = (long)Math.Round(timeline.ToOriginal(offset) * WhisperAudio.SampleRate / WhisperAudio.HopLength);
            foreach (var segment in segments)
            {
                yield return ToSegment(segment, originalSeek, offset, timeline);
            }

            seek += advance;
            audio.DiscardBefore(LogMelSpectrogram.FirstSampleNeeded(seek));
            progress?.Invoke(timeline.ToOriginal(WhisperAudio.FramesToSeconds(Math.Min(seek, contentFrames)), isEnd: true));
        }
    }

    private (List<(WindowSegment Segment, string Text, WindowDecodeResult Result, IReadOnlyList<TimedWord> Words)> Segments, int Advance) DecodeWindow(
        AudioWindowBuffer audio, long seek, int windowFrames, CancellationToken cancellationToken)
    {
        if (Language is null)
        {
            // As OpenAI's transcribe: detect on the first 30 s with the frames past the audio left as computed (the
            // log-mel of the zero padding), which takes its own encoder run.
            _features.ComputeWindow(audio.Samples, audio.Origin, seek, WhisperAudio.WindowFrames, _state.Mel);
            _state.Encode(cancellationToken);
            _languageToken = _decoder.DetectLanguage(_state.TextDecoder, cancellationToken);
            Language = _model.Info.LanguageCode(_languageToken);
            Log.WhisperLanguageDetected(_logger, Language, _languageToken);
        }

        _features.ComputeWindow(audio.Samples, audio.Origin, seek, windowFrames, _state.Mel);
        _state.Encode(cancellationToken);

        var result = DecodeWithFallback(seek, windowFrames, cancellationToken);
        var segments = new List<(WindowSegment, string, WindowDecodeResult, IReadOnlyList<TimedWord>)>();
        var info = _model.Info;
        if (FallbackPolicy.ShouldSkip(result, _options))
        {
            Log.WhisperWindowDone(_logger, seek, skippedAsNoSpeech: true, seek + windowFrames);
            return (segments, windowFrames);
        }

        var (windowSegments, advance) = SegmentSplitter.Split(result, info, windowFrames);
        var words = new List<TimedWord>[windowSegments.Count];
        if (_wordAligner is not null)
        {
            (windowSegments, words, advance) = AddWords(_wordAligner, result, windowSegments, advance, seek, windowFrames, cancellationToken);
        }

        for (var i = 0; i < windowSegments.Count; i++)
        {
            var segment = windowSegments[i];
            // OpenAI keeps an instantaneous or textless segment, emptied, so ids and seeks stay in step.
            var text = _tokenizer.Decode(segment.Tokens.Where(token => token < info.Eot));
            if (segment.Start == segment.End || string.IsNullOrWhiteSpace(text))
            {
                segments.Add((segment with { Tokens = [] }, string.Empty, result, []));
                continue;
            }

            segments.Add((segment, text, result, words[i] ?? []));
            _allTokens.AddRange(segment.Tokens);
        }

        if (!_options.ConditionOnPreviousText || result.Temperature > 0.5)
        {
            _promptResetSince = _allTokens.Count;
        }

        Log.WhisperWindowDone(_logger, seek, skippedAsNoSpeech: false, seek + advance);
        return (segments, advance);
    }

    /// <summary>
    /// The words of the window's segments, the segments' times refined from them, and the advance: to the last word's
    /// end unless the window ended with a single timestamp (OpenAI's <c>transcribe</c> with <c>word_timestamps</c>).
    /// </summary>
    private (IReadOnlyList<WindowSegment> Segments, List<TimedWord>[] Words, int Advance) AddWords(
        WindowWordAligner aligner, WindowDecodeResult result, IReadOnlyList<WindowSegment> windowSegments, int advance, long seek, int windowFrames, CancellationToken cancellationToken)
    {
        var info = _model.Info;
        var timeOffset = WhisperAudio.FramesToSeconds(seek);
        var segments = windowSegments
            .Select(segment => new SegmentWords(timeOffset + segment.Start, timeOffset + segment.End, [.. segment.Tokens.Where(token => token < info.Eot)]))
            .ToList();
        var alignment = aligner.Align(
            (ICrossAttentionScores)_state.TextDecoder, SotSequence(), [.. segments.SelectMany(segment => segment.TextTokens)], windowFrames, Language!, cancellationToken);
        WordTimestamps.Add(segments, alignment, timeOffset, _lastSpeech);
        var lastEnd = WordTimestamps.LastEnd(segments);
        if (!SegmentSplitter.EndsWithSingleTimestamp(result.Tokens, info) && lastEnd > timeOffset)
        {
            advance = (int)(Math.Round(lastEnd * WhisperAudio.FramesPerSecond) - seek);
        }

        _lastSpeech = lastEnd;
        var refined = windowSegments.Select((segment, i) => segment with { Start = segments[i].Start - timeOffset, End = segments[i].End - timeOffset }).ToList();
        return (refined, [.. segments.Select(segment => segment.Words)], advance);
    }

    private WindowDecodeResult DecodeWithFallback(long seek, int windowFrames, CancellationToken cancellationToken)
    {
        var initialTokens = InitialTokens();
        WindowDecodeResult result = null!;
        foreach (var temperature in FallbackPolicy.Temperatures(_options))
        {
            result = _decoder.Decode(_state.TextDecoder, initialTokens, temperature, _random, cancellationToken);
            var needsFallback = FallbackPolicy.NeedsFallback(result, _options);
            Log.WhisperWindowDecoded(
                _logger, seek, windowFrames, temperature, initialTokens, result.Tokens, result.AvgLogprob, result.NoSpeechProb, result.CompressionRatio, needsFallback);
            if (!needsFallback)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>The start-of-transcript sequence with the run's language and task.</summary>
    private List<int> SotSequence()
    {
        var info = _model.Info;
        var sequence = info.SotSequence.ToList();
        if (info.IsMultilingual && sequence.Count >= info.SotIndex + 3)
        {
            sequence[info.SotIndex + 1] = _languageToken;
            sequence[info.SotIndex + 2] = _options.Task == TranscriptionTask.Translate ? info.Translate : info.Transcribe;
        }

        return sequence;
    }

    private List<int> InitialTokens()
    {
        var info = _model.Info;
        var sequence = SotSequence();
        var tokens = new List<int>();
        var promptStart = Math.Max(_promptResetSince, _allTokens.Count - PromptLimit);
        if (promptStart < _allTokens.Count)
        {
            tokens.Add(info.SotPrev);
            tokens.AddRange(_allTokens.GetRange(promptStart, _allTokens.Count - promptStart));
        }

        tokens.AddRange(sequence);
        return tokens;
    }

    private TranscriptionSegment ToSegment(
        (WindowSegment Segment, string Text, WindowDecodeResult Result, IReadOnlyList<TimedWord> Words) item, long originalSeek, double offset, TimelineMap timeline)
    {
        var (segment, text, result, words) = item;
        return new TranscriptionSegment(
            _nextId++,
            originalSeek,
            timeline.ToOriginal(offset + segment.Start),
            timeline.ToOriginal(offset + segment.End, isEnd: true),
            text,
            segment.Tokens,
            result.Temperature,
            result.AvgLogprob,
            result.CompressionRatio,
            result.NoSpeechProb)
        {
            // Word times are on the window's audio timeline already (offset included).
            Words = [.. words.Select(word => new TranscriptionWord(word.Word, timeline.ToOriginal(word.Start), timeline.ToOriginal(word.End, isEnd: true)))],
        };
    }

    private void ResolveLanguage(WhisperModelInfo info, TranscribeOptions options)
    {
        if (!info.IsMultilingual)
        {
            if (options.Task == TranscriptionTask.Translate)
            {
                throw new HearsayException(HearsayErrorCode.InvalidInput, $"{info.ModelType} is English-only; translation needs a multilingual model");
            }

            // Asking an English-only model for another language would only produce English-sounding noise.
            if (options.Language is { } requested &&
                !(WhisperLanguages.TryNormalize(requested, out var requestedCode) && requestedCode == "en"))
            {
                throw new HearsayException(HearsayErrorCode.InvalidInput, $"{info.ModelType} is English-only; it cannot transcribe '{requested}'")
                {
                    OptionName = nameof(TranscribeOptions.Language),
                };
            }

            Language = "en";
            return;
        }

        if (options.Language is { } code)
        {
            code = WhisperLanguages.TryNormalize(code, out var normalized) ? normalized : code;
            _languageToken = info.LanguageToken(code)
                ?? throw new HearsayException(HearsayErrorCode.InvalidInput, $"{info.ModelType} does not know the language '{code}'; it knows {string.Join(", ", info.LanguageCodes)}")
                {
                    OptionName = nameof(TranscribeOptions.Language),
                };
            Language = info.LanguageCode(_languageToken);
        }
    }

    private static Task<T> RunOnOwnThread<T>(Func<T> work, CancellationToken cancellationToken) =>
        // A window is hundreds of milliseconds of native work: its own thread, not the pool's.
        Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
