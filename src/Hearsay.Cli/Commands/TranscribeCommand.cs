using System.CommandLine;
using System.Globalization;
using Hearsay.Core.Audio.Input;
using Hearsay.Core.ExternalPrograms;
using Hearsay.Core.Models.Catalog;
using Hearsay.Core.Onnx;
using Hearsay.Core.Stt;
using Hearsay.Core.Stt.Formats;
using Hearsay.Core.Stt.Whisper;
using Hearsay.Core.Stt.Whisper.Model;
using Hearsay.Server.Endpoints;

namespace Hearsay.Cli.Commands;

/// <summary><c>hearsay transcribe FILE|- --model MODEL_DIR</c>: speech to text with Whisper.</summary>
internal static class TranscribeCommand
{
    private static readonly TimeSpan ProgressAfter = TimeSpan.FromMinutes(1);

    private static readonly Argument<string> Input = new("input")
    {
        Description = "The audio file (WAV natively; mp3, ogg, webm, m4a, flac... through ffmpeg), or - for standard input",
    };

    private static readonly Option<string> Model = new("--model")
    {
        Description = "A Whisper model: an installed catalog id (whisper-base.en) or a folder (NAME-encoder.onnx, NAME-decoder.onnx, NAME-tokens.txt, as sherpa-onnx exports them)",
        Required = true,
    };

    private static readonly Option<string> Language = new("--language")
    {
        Description = "The spoken language (en, de, fr... or english, german...), or auto to detect it",
        DefaultValueFactory = _ => "auto",
    };

    private static readonly Option<string> Task = new("--task")
    {
        Description = "transcribe, or translate (to English; multilingual models only)",
        DefaultValueFactory = _ => "transcribe",
    };

    private static readonly Option<string> Format = new("--format")
    {
        Description = $"Output format: {string.Join(", ", TranscriptFormatter.Names)}",
        DefaultValueFactory = _ => "text",
    };

    private static readonly Option<bool> NoVad = new("--no-vad")
    {
        Description = "Decode consecutive 30 s windows instead of the speech voice activity detection finds",
    };

    private static readonly Option<string?> Prompt = new("--prompt")
    {
        Description = $"Text that precedes the audio: names, spellings, style (at most {TranscribeOptions.MaxPromptLength} characters; Whisper reads its last 223 tokens)",
    };

    private static readonly Option<bool> Words = new("--words")
    {
        Description = "Word timestamps: verbose_json lists words[] (segment times refined from them), srt and vtt get a cue per word",
    };

    private static readonly Option<int?> MaxLineWidth = new("--max-line-width")
    {
        Description = "srt and vtt: cues of whole words up to this many characters (aligns words, as --words)",
    };

    private static readonly Option<double> Temperature = new("--temperature")
    {
        Description = "First sampling temperature, 0 to 1; failed windows are retried 0.2 hotter up to 1",
        DefaultValueFactory = _ => 0d,
    };

    private static readonly Option<bool> NoFallback = new("--no-fallback")
    {
        Description = "Decode each window once at --temperature: no retries at higher temperatures (reproducible output)",
    };

    private static readonly Option<string?> Ffmpeg = new("--ffmpeg")
    {
        Description = $"The ffmpeg program for formats other than WAV (default: ${ExternalProgram.Ffmpeg.EnvironmentVariable}, next to hearsay, then PATH)",
    };

    private static readonly Option<int?> RawRate = new("--raw-rate")
    {
        Description = "The input is headerless 16-bit little-endian mono PCM at this sample rate",
    };

    private static readonly Option<TimeSpan> MaxAudioDuration = MaxAudioDurationOption.Create(
        "The longest audio accepted (a file is checked before it is transcribed, standard input as it is read)");

    private static readonly Option<WhisperPrecision> Precision = new("--precision")
    {
        Description = "Which weights to load when the folder has both: Auto (fp32 if present), Full (fp32) or Quantized (int8)",
        DefaultValueFactory = _ => WhisperPrecision.Auto,
    };

    private static readonly Option<int?> Threads = ThreadsOption.Create();

    public static Command Create(CliConsole console)
    {
        var command = new Command("transcribe", "Transcribe (or translate) speech with a Whisper model")
        {
            Input, Model, Language, Task, Format, Words, MaxLineWidth, NoVad, Prompt, Temperature, NoFallback, Ffmpeg, RawRate, MaxAudioDuration, Precision, Threads,
        };
        CommandRunner.SetAction(command, console, RunAsync);
        return command;
    }

    private static async Task RunAsync(ParseResult parseResult, CliConsole console, CancellationToken cancellationToken)
    {
        var formatName = parseResult.GetRequiredValue(Format);
        if (!TranscriptFormatter.TryParse(formatName, out var format))
        {
            throw new CommandLineException($"--format {formatName} is not one of {string.Join(", ", TranscriptFormatter.Names)}.");
        }

        var task = parseResult.GetRequiredValue(Task) switch
        {
            "transcribe" => TranscriptionTask.Transcribe,
            "translate" => TranscriptionTask.Translate,
            var other => throw new CommandLineException($"--task {other} is not transcribe or translate."),
        };
        var cues = Cues(parseResult, format);
        var language = parseResult.GetRequiredValue(Language);
        var options = new TranscribeOptions
        {
            WordTimestamps = parseResult.GetValue(Words) || cues != SubtitleCues.Segments,
            Language = string.Equals(language, "auto", StringComparison.OrdinalIgnoreCase) ? null : language,
            Task = task,
            Prompt = parseResult.GetValue(Prompt),
            Temperature = parseResult.GetValue(Temperature),
            TemperatureFallback = !parseResult.GetValue(NoFallback),
            UseVad = !parseResult.GetValue(NoVad),
        };
        options.Validate();

        using var loggerFactory = CommonOptions.CreateLoggerFactory(parseResult);
        var model = await ModelSources.ResolveFolderOrPathAsync(parseResult, parseResult.GetRequiredValue(Model), ModelKind.Stt, cancellationToken);
        using var engine = await WhisperSpeechToText.LoadAsync(
            model,
            new WhisperSessionOptions { Precision = parseResult.GetValue(Precision), Threads = EngineThreads.Of(parseResult.GetValue(Threads)) },
            loggerFactory,
            cancellationToken);

        var inputOptions = new AudioInputOptions
        {
            FfmpegPath = parseResult.GetValue(Ffmpeg),
            RawPcmSampleRate = parseResult.GetValue(RawRate),
            MaxDuration = parseResult.GetValue(MaxAudioDuration),
            LoggerFactory = loggerFactory,
        };
        var input = parseResult.GetRequiredValue(Input);
        await using var stdin = input == "-" ? console.OpenInput() : null;
        await using var audio = stdin is null
            ? await AudioDecoder.OpenFileAsync(input, inputOptions, cancellationToken)
            : await AudioDecoder.OpenAsync(stdin, inputOptions, cancellationToken);

        var progress = new ProgressLine(console.Error);
        var transcription = await engine.TranscribeAsync(audio, options, progress, cancellationToken);
        progress.Finish();
        console.Out.Write(TranscriptResponses.Format(transcription, format, task, options.WordTimestamps, cues));
    }

    /// <summary>How srt and vtt are cut: per segment, per word with --words, or lines of --max-line-width characters.</summary>
    private static SubtitleCues Cues(ParseResult parseResult, TranscriptFormat format)
    {
        var subtitles = format is TranscriptFormat.Srt or TranscriptFormat.Vtt;
        if (parseResult.GetValue(MaxLineWidth) is { } width)
        {
            return (subtitles, width) switch
            {
                (false, _) => throw new CommandLineException("--max-line-width cuts srt and vtt cues; use --format srt or vtt."),
                (_, <= 0) => throw new CommandLineException($"--max-line-width must be a positive number of characters, not {width}."),
                _ => SubtitleCues.Lines(width),
            };
        }

        if (!parseResult.GetValue(Words))
        {
            return SubtitleCues.Segments;
        }

        if (subtitles)
        {
            return SubtitleCues.Words;
        }

        return format == TranscriptFormat.VerboseJson
            ? SubtitleCues.Segments
            : throw new CommandLineException("--words shows in verbose_json, srt and vtt; use one of those formats.");
    }

    /// <summary>Writes "transcribed 1:30 of 5:00" to stderr once the input is known to be longer than a minute.</summary>
    private sealed class ProgressLine(TextWriter error) : IProgress<TranscriptionProgress>
    {
        private bool _shown;

        public void Report(TranscriptionProgress value)
        {
            var longInput = value.Total > ProgressAfter || value.Processed > ProgressAfter;
            if (!longInput)
            {
                return;
            }

            var total = value.Total is { } known
                ? string.Create(CultureInfo.InvariantCulture, $" of {Clock(known)} ({value.Processed / known:P0})")
                : string.Empty;
            error.WriteLine($"hearsay: transcribed {Clock(value.Processed)}{total}");
            _shown = true;
        }

        public void Finish()
        {
            if (_shown)
            {
                error.WriteLine("hearsay: done");
            }
        }

        private static string Clock(TimeSpan time) =>
            time.ToString(time.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);
    }
}
