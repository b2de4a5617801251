using System.CommandLine;
using Hearsay.Core.ExternalPrograms;
using Hearsay.Server;
using Hearsay.Server.Sidecar;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearsay.Cli.Commands;

/// <summary>
/// <c>hearsay serve</c>: the sidecar. One JSON ready line on stdout once it listens, logs on stderr, a graceful stop on
/// SIGTERM, Ctrl+C, the end of a piped stdin or the parent's exit, and a non-zero exit with one line when it cannot start.
/// </summary>
internal static class ServeCommand
{
    private static readonly HearsayServerOptions Defaults = new();

    private static readonly Option<string> Host = new("--host") { Description = "The address to listen on", DefaultValueFactory = _ => Defaults.Host };

    private static readonly Option<int> Port = new("--port") { Description = "The port; 0 picks a free one (the ready line says which)", DefaultValueFactory = _ => 0 };

    /// <summary>Names the token for a server whose clients are configured with it (a Kubernetes secret), kept off the command line.</summary>
    private const string TokenVariable = "HEARSAY_TOKEN";

    private static readonly Option<string?> Token = new("--token")
    {
        Description = $"The bearer token /v1 calls must carry (default: ${TokenVariable}, else a random one per start)",
    };

    private static readonly Option<int?> ParentPid = new("--parent-pid") { Description = "Stop when this process exits (the host app)" };

    private static readonly Option<bool> NoStdinWatch = new("--no-stdin-watch") { Description = "Keep running when a piped standard input closes" };

    private static readonly Option<string> Stt = new("--stt")
    {
        Description = "The speech-to-text model: a catalog id or folder, or none",
        DefaultValueFactory = _ => HearsayServerOptions.DefaultSttModel,
    };

    private static readonly Option<string> Tts = new("--tts")
    {
        Description = "The voice: a catalog id or .onnx file, or none",
        DefaultValueFactory = _ => HearsayServerOptions.DefaultTtsVoice,
    };

    private static readonly Option<string[]> CorsOrigins = new("--cors-origin")
    {
        Description = "A browser origin allowed to call the API (repeatable); none by default",
        AllowMultipleArgumentsPerToken = false,
    };

    private static readonly Option<string[]> AllowedHosts = new("--allowed-host")
    {
        Description = "A Host header accepted besides loopback names (repeatable), for a server reached by name; * accepts any",
    };

    private static readonly Option<long> MaxUploadMiB = new("--max-upload-mb")
    {
        Description = "The largest request body in MiB",
        DefaultValueFactory = _ => Defaults.MaxRequestBytes >> 20,
    };

    private static readonly Option<TimeSpan> MaxAudioDuration = MaxAudioDurationOption.Create(
        "The longest audio a transcription accepts (longer uploads get 413 before any is transcribed)");

    private static readonly Option<int> MaxInputChars = new("--max-input-chars")
    {
        Description = "The longest speech input in characters",
        DefaultValueFactory = _ => Defaults.MaxSpeechInputCharacters,
    };

    private static readonly Option<int> SttConcurrency = new("--stt-concurrency") { Description = "Transcriptions run at once", DefaultValueFactory = _ => Defaults.SttConcurrency };

    private static readonly Option<int> SttQueue = new("--stt-queue") { Description = "Transcriptions waiting before 429", DefaultValueFactory = _ => Defaults.SttQueue };

    private static readonly Option<int> TtsConcurrency = new("--tts-concurrency") { Description = "Speech requests run at once", DefaultValueFactory = _ => Defaults.TtsConcurrency };

    private static readonly Option<int> TtsQueue = new("--tts-queue") { Description = "Speech requests waiting before 429", DefaultValueFactory = _ => Defaults.TtsQueue };

    private static readonly Option<string?> Ffmpeg = new("--ffmpeg") { Description = $"The ffmpeg program, for audio other than {ExternalProgram.InProcessAudioFormats}" };

    private static readonly Option<int?> Threads = ThreadsOption.Create();

    private static readonly Option<int?> SamplingSeed = new("--sampling-seed")
    {
        Description = "Seed Whisper's temperature-fallback sampling, so the same audio always gives the same text (tests, comparisons)",
    };

    public static Command Create(CliConsole console)
    {
        var command = new Command("serve", "Run the OpenAI-compatible sidecar on loopback")
        {
            Host, Port, Token, ParentPid, NoStdinWatch, Stt, Tts, CorsOrigins, AllowedHosts, MaxUploadMiB, MaxAudioDuration, MaxInputChars,
            SttConcurrency, SttQueue, TtsConcurrency, TtsQueue, Ffmpeg, Threads, SamplingSeed,
        };
        CommandRunner.SetAction(command, console, RunAsync);
        return command;
    }

    private static async Task RunAsync(ParseResult parseResult, CliConsole console, CancellationToken cancellationToken)
    {
        var options = new HearsayServerOptions
        {
            Host = parseResult.GetRequiredValue(Host),
            Port = parseResult.GetValue(Port),
            Token = parseResult.GetValue(Token) ?? NonEmpty(Environment.GetEnvironmentVariable(TokenVariable)),
            ParentPid = parseResult.GetValue(ParentPid),
            ModelsDirectory = parseResult.GetValue(CommonOptions.ModelsDir),
            SttModel = parseResult.GetRequiredValue(Stt),
            TtsVoice = parseResult.GetRequiredValue(Tts),
            CorsOrigins = parseResult.GetValue(CorsOrigins) ?? [],
            AllowedHosts = parseResult.GetValue(AllowedHosts) ?? [],
            MaxRequestBytes = parseResult.GetValue(MaxUploadMiB) << 20,
            MaxAudioDuration = parseResult.GetValue(MaxAudioDuration),
            MaxSpeechInputCharacters = parseResult.GetValue(MaxInputChars),
            SttConcurrency = parseResult.GetValue(SttConcurrency),
            SttQueue = parseResult.GetValue(SttQueue),
            TtsConcurrency = parseResult.GetValue(TtsConcurrency),
            TtsQueue = parseResult.GetValue(TtsQueue),
            EspeakNgPath = parseResult.GetValue(CommonOptions.EspeakNg),
            Phonemizer = parseResult.GetValue(CommonOptions.Phonemizer),
            FfmpegPath = parseResult.GetValue(Ffmpeg),
            Threads = parseResult.GetValue(Threads),
            SamplingSeed = parseResult.GetValue(SamplingSeed),
        };
        var watchInput = console.InputIsPipe && !parseResult.GetValue(NoStdinWatch);
        await using var input = watchInput ? console.OpenInput() : null;
        var verbose = parseResult.GetValue(CommonOptions.Verbose);

        WebApplication app;
        try
        {
            app = await HearsayServer.BuildAsync(options, new SidecarStreams(console.Out, input), logging => Logging(logging, verbose), cancellationToken);
        }
        catch (ArgumentException e)
        {
            throw new CommandLineException(e.Message);
        }

        await using (app)
        {
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (app.Lifetime.ApplicationStopping.IsCancellationRequested || cancellationToken.IsCancellationRequested)
            {
                // A stop that arrives while Kestrel is still binding (stdin closed at once, the parent gone, SIGTERM)
                // cancels the start; it is still the graceful stop that was asked for, not a failure.
                await app.StopAsync(CancellationToken.None);
                return;
            }
            catch (IOException e)
            {
                // Kestrel says "Failed to bind to address http://…: address already in use."; the inner exception says why.
                throw new IOException($"Cannot listen on {options.Host}:{options.Port}: {e.InnerException?.Message ?? e.Message}", e);
            }

            // SIGTERM and Ctrl+C cancel the token; the host then stops gracefully, letting requests in flight finish.
            await app.WaitForShutdownAsync(cancellationToken);
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>Logs go to stderr, one line each: stdout carries only the ready line.</summary>
    private static void Logging(ILoggingBuilder logging, bool verbose)
    {
        logging.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information);
        logging.AddFilter("Microsoft", verbose ? LogLevel.Information : LogLevel.Warning);
        // A failed start is reported once, as the command's one-line reason, not also as the host's stack trace.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        logging.AddSimpleConsole(console => console.SingleLine = true);
        logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
