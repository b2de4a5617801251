using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Hearsay.Core.Audio;
using Hearsay.Core.Audio.Input;
using Hearsay.Core.ExternalPrograms;
using Hearsay.Core.Models.Catalog;
using Hearsay.Core.Onnx;
using Hearsay.Core.Tts;
using Hearsay.Core.Tts.Piper;

namespace Hearsay.Cli.Commands;

/// <summary><c>hearsay speak TEXT --voice VOICE.onnx -o OUT.wav</c> (or .mp3, .opus, .aac, .flac): text to speech.</summary>
internal static class SpeakCommand
{
    private static readonly Argument<string> Text = TextInput.CreateArgument();

    private static readonly Option<string> Voice = new("--voice")
    {
        Description = "A Piper voice: an installed catalog id (piper-en_US-lessac-medium) or a model file (VOICE.onnx, with VOICE.onnx.json beside it)",
        Required = true,
    };

    private static readonly Option<string?> Config = new("--config")
    {
        Description = "The voice config, when it is not the model path + .json",
    };

    private static readonly Option<string> Output = new("--output", "-o")
    {
        Description = "Where to write the audio; - for standard output",
        Required = true,
    };

    private static readonly Option<AudioFormat?> Format = new("--format")
    {
        Description = "wav, pcm (16-bit mono little-endian), or with ffmpeg mp3, opus (Ogg), aac (ADTS) or flac; " +
                      "default: from the output's extension (.pcm/.raw: pcm, .mp3, .opus/.ogg, .aac, .flac), else wav",
    };

    private static readonly Option<string?> Ffmpeg = new("--ffmpeg")
    {
        Description = $"The ffmpeg program for mp3, opus, aac and flac (default: ${ExternalProgram.Ffmpeg.EnvironmentVariable}, next to hearsay, then PATH)",
    };

    private static readonly Option<float> Speed = new("--speed")
    {
        Description = string.Create(CultureInfo.InvariantCulture, $"Speaking rate from {SpeakOptions.MinSpeed} to {SpeakOptions.MaxSpeed}"),
        DefaultValueFactory = _ => 1f,
    };

    private static readonly Option<string?> Speaker = new("--speaker")
    {
        Description = "For multi-speaker voices: a speaker id or name (default: 0)",
    };

    private static readonly Option<float?> NoiseScale = new("--noise-scale")
    {
        Description = "Audio variation, 0 for deterministic output (default: the voice's)",
    };

    private static readonly Option<float?> NoiseW = new("--noise-w")
    {
        Description = "Phoneme duration variation, 0 for deterministic durations (default: the voice's)",
    };

    private static readonly Option<double> SentenceSilence = new("--sentence-silence")
    {
        Description = "Seconds of silence between sentences",
        DefaultValueFactory = _ => 0d,
    };

    private static readonly Option<int?> Threads = ThreadsOption.Create();

    public static Command Create(CliConsole console)
    {
        var command = new Command("speak", "Synthesize speech from text with a Piper voice")
        {
            Text, Voice, Config, Output, Format, Speed, Speaker, NoiseScale, NoiseW, SentenceSilence, Ffmpeg, Threads,
        };
        CommandRunner.SetAction(command, console, RunAsync);
        return command;
    }

    private static async Task RunAsync(ParseResult parseResult, CliConsole console, CancellationToken cancellationToken)
    {
        var output = parseResult.GetRequiredValue(Output);
        var format = parseResult.GetValue(Format) ?? FormatFromExtension(output);
        var options = new SpeakOptions
        {
            Speed = parseResult.GetValue(Speed),
            Speaker = parseResult.GetValue(Speaker),
            NoiseScale = parseResult.GetValue(NoiseScale),
            NoiseW = parseResult.GetValue(NoiseW),
            SentenceSilence = ToTimeSpan(parseResult.GetValue(SentenceSilence)),
        };
        var text = await TextInput.ReadAsync(parseResult.GetRequiredValue(Text), console, cancellationToken);
        // Look for ffmpeg before the voice loads, so a missing one fails at once.
        var ffmpeg = AudioFormats.NeedsFfmpeg(format) ? new FfmpegLocator().Locate(parseResult.GetValue(Ffmpeg)) : null;

        using var loggerFactory = CommonOptions.CreateLoggerFactory(parseResult);
        var started = Stopwatch.GetTimestamp();
        var voice = await ModelSources.ResolveFolderOrPathAsync(parseResult, parseResult.GetRequiredValue(Voice), ModelKind.Tts, cancellationToken);
        using var engine = await PiperTextToSpeech.LoadAsync(
            voice,
            new PiperTextToSpeechOptions
            {
                ConfigPath = parseResult.GetValue(Config),
                Threads = EngineThreads.Of(parseResult.GetValue(Threads)),
                Phonemizer = CommonOptions.PhonemizerOptions(parseResult),
            },
            loggerFactory,
            cancellationToken);

        await using var destination = AudioDestination.Open(output, console);
        // Declared after the destination, so it is disposed first: an unfinished ffmpeg stops before the file closes.
        await using var writer = AudioStreamWriter.Create(format, destination.Stream, engine.SampleRate, ffmpeg, loggerFactory.CreateLogger(typeof(SpeakCommand).FullName!));
        var sentences = 0;
        await foreach (var chunk in engine.SynthesizeAsync(text, options, cancellationToken))
        {
            await writer.WriteAsync(chunk.Samples, cancellationToken);
            // Flush per sentence so a player reading a pipe starts while later sentences are synthesized.
            await writer.FlushAsync(cancellationToken);
            sentences++;
        }

        await writer.CompleteAsync(cancellationToken);
        destination.Commit();

        if (!destination.IsStandardOutput)
        {
            var seconds = (double)writer.DataBytes / Pcm16.BytesPerSample / engine.SampleRate;
            console.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Wrote {destination.Path}: {sentences} sentence(s), {seconds:0.00} s of audio at {engine.SampleRate} Hz " +
                $"in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.00} s"));
        }
    }

    private static AudioFormat FormatFromExtension(string output) => Path.GetExtension(output).ToUpperInvariant() switch
    {
        ".PCM" or ".RAW" => AudioFormat.Pcm,
        ".MP3" => AudioFormat.Mp3,
        ".OPUS" or ".OGG" => AudioFormat.Opus,
        ".AAC" => AudioFormat.Aac,
        ".FLAC" => AudioFormat.Flac,
        _ => AudioFormat.Wav,
    };

    private static TimeSpan ToTimeSpan(double seconds) =>
        double.IsFinite(seconds) && Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : throw new CommandLineException(string.Create(CultureInfo.InvariantCulture, $"--sentence-silence {seconds} is not a number of seconds."));
}
