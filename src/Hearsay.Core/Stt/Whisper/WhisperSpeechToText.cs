using System.Diagnostics;
using System.Runtime.CompilerServices;
using Hearsay.Core.Audio.Input;
using Hearsay.Core.Diagnostics;
using Hearsay.Core.Stt.Whisper.Features;
using Hearsay.Core.Stt.Whisper.Model;
using Hearsay.Core.Vad;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hearsay.Core.Stt.Whisper;

/// <summary>
/// Whisper speech-to-text on ONNX Runtime, from a sherpa-onnx export folder (encoder, decoder, tokens). Decoding
/// follows OpenAI's reference: greedy with temperature fallback, timestamp rules, no-speech detection, language
/// detection and translation on multilingual models.
/// </summary>
/// <remarks>Thread-safe: transcriptions may run concurrently, each with its own decoder state.</remarks>
public sealed class WhisperSpeechToText : ISpeechToTextEngine
{
    private readonly WhisperOnnxModel _model;
    private readonly DecoderStatePool _states;
    private readonly WhisperTokenizer _tokenizer;
    private static readonly VadOptions WindowSizedSpeech = VadOptions.Default with { MaxSpeechDuration = TimeSpan.FromSeconds(WhisperAudio.WindowSeconds) };

    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Lazy<SileroVadModel> _vad;

    private WhisperSpeechToText(WhisperOnnxModel model, WhisperTokenizer tokenizer, ILoggerFactory loggerFactory)
    {
        _model = model;
        _states = new DecoderStatePool(model);
        _tokenizer = tokenizer;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<WhisperSpeechToText>();
        // The bundled Silero model is small and loads in milliseconds, once, on the first transcription that uses it.
        _vad = new Lazy<SileroVadModel>(() => SileroVadModel.LoadBundled(loggerFactory));
    }

    /// <summary>The model's dimensions and special tokens.</summary>
    public WhisperModelInfo Info => _model.Info;

    /// <summary>The sessions, for benchmarks and tests that drive the model directly.</summary>
    internal WhisperOnnxModel Model => _model;

    /// <summary>The vocabulary, for benchmarks that drive the model directly.</summary>
    internal WhisperTokenizer Tokenizer => _tokenizer;

    /// <summary>The files loaded.</summary>
    public WhisperModelFiles Files => _model.Files;

    /// <summary>Loads the model in <paramref name="modelDirectory"/>.</summary>
    /// <exception cref="ModelLoadException">A file is missing, corrupt, or not a sherpa-onnx Whisper export.</exception>
    public static async Task<WhisperSpeechToText> LoadAsync(
        string modelDirectory,
        WhisperSessionOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger<WhisperSpeechToText>();
        var stopwatch = Stopwatch.StartNew();
        options ??= new WhisperSessionOptions();
        var files = WhisperModelFiles.Find(modelDirectory, options.Precision);
        var tokenizer = WhisperTokenizer.Load(files.TokensPath);
        // Session creation parses and optimizes both graphs: seconds for large models, so off the caller's thread.
        var model = await Task.Run(() => WhisperOnnxModel.Load(files, options, logger), cancellationToken)
            .ConfigureAwait(false);
        if (tokenizer.TextTokenCount != model.Info.Eot)
        {
            model.Dispose();
            throw new ModelLoadException(
                HearsayErrorCode.ModelInvalid,
                files.TokensPath,
                $"has {tokenizer.TextTokenCount} text tokens, but the model's end-of-text token is {model.Info.Eot}: they do not belong together");
        }

        var info = model.Info;
        Log.WhisperLoaded(logger, info.ModelType, files.EncoderPath, info.MelCount, info.VocabularySize, info.IsMultilingual, options.Threads.Count, stopwatch.ElapsedMilliseconds);
        return new WhisperSpeechToText(model, tokenizer, loggerFactory);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<TranscriptionSegment> StreamAsync(
        MonoAudioReader audio,
        TranscribeOptions? options = null,
        IProgress<TranscriptionProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        StreamCoreAsync(audio, options ?? new TranscribeOptions(), progress, completed: null, cancellationToken);

    /// <inheritdoc />
    public async Task<Transcription> TranscribeAsync(
        MonoAudioReader audio,
        TranscribeOptions? options = null,
        IProgress<TranscriptionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var segments = new List<TranscriptionSegment>();
        Transcription? result = null;
        await foreach (var segment in StreamCoreAsync(
            audio,
            options ?? new TranscribeOptions(),
            progress,
            (run, duration) => result = new Transcription(run.Text, run.Language ?? "en", duration, segments),
            cancellationToken).ConfigureAwait(false))
        {
            segments.Add(segment);
        }

        Log.Transcribed(_logger, result!.Duration, stopwatch.ElapsedMilliseconds, segments.Count, result.Language);
        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _states.Dispose();
        _model.Dispose();
        if (_vad.IsValueCreated)
        {
            _vad.Value.Dispose();
        }
    }

    private async IAsyncEnumerable<TranscriptionSegment> StreamCoreAsync(
        MonoAudioReader audio,
        TranscribeOptions options,
        IProgress<TranscriptionProgress>? progress,
        Action<WhisperTranscriptionRun, double>? completed,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (audio.SampleRate != WhisperAudio.SampleRate)
        {
            throw new ArgumentException($"Whisper needs {WhisperAudio.SampleRate} Hz audio, not {audio.SampleRate} Hz.", nameof(audio));
        }

        using var lease = _states.Rent();
        var run = new WhisperTranscriptionRun(_model, _tokenizer, options, lease.State, _logger, cancellationToken);
        TimeSpan? total = audio.TotalSamples is { } samples ? TimeSpan.FromSeconds((double)samples / WhisperAudio.SampleRate) : null;
        void Report(double seconds) => progress?.Report(new TranscriptionProgress(TimeSpan.FromSeconds(seconds), total, run.Language));

        if (!options.UseVad)
        {
            var windows = new AudioWindowBuffer(audio);
            await foreach (var segment in run.TranscribeAsync(windows, TimelineMap.Identity, Report, cancellationToken).ConfigureAwait(false))
            {
                yield return segment;
            }

            completed?.Invoke(run, (double)(windows.TotalSamples ?? 0) / WhisperAudio.SampleRate);
            yield break;
        }

        using var vad = new VoiceActivityDetector(_vad.Value, options.Vad ?? WindowSizedSpeech, _loggerFactory);
        var chunker = new SpeechChunker(audio, vad);
        await foreach (var chunk in chunker.ReadChunksAsync(cancellationToken).ConfigureAwait(false))
        {
            var windows = AudioWindowBuffer.FromSamples(chunk.Samples);
            await foreach (var segment in run.TranscribeAsync(windows, chunk.Timeline, progress: null, cancellationToken).ConfigureAwait(false))
            {
                yield return segment;
            }

            Report(chunk.InputEnd);
        }

        var duration = (double)chunker.SamplesRead / WhisperAudio.SampleRate;
        Report(duration);
        completed?.Invoke(run, duration);
    }
}
