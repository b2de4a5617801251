using Hearsay.Core.ExternalPrograms;
using Hearsay.Core.Onnx;
using Hearsay.Core.Tts.Phonemization;

namespace Hearsay.Server;

/// <summary>How <c>hearsay serve</c> runs. Every default is the sidecar's: loopback, a free port, a fresh token.</summary>
public sealed record HearsayServerOptions
{
    /// <summary>The model a capability is off with.</summary>
    public const string None = "none";

    /// <summary>The default speech-to-text model.</summary>
    public const string DefaultSttModel = "whisper-base.en";

    /// <summary>The default voice.</summary>
    public const string DefaultTtsVoice = "piper-en_US-lessac-medium";

    /// <summary>The default <see cref="MaxAudioDuration"/>: two hours.</summary>
    public static readonly TimeSpan DefaultMaxAudioDuration = TimeSpan.FromHours(2);

    /// <summary>The address to listen on.</summary>
    /// <value>The default is 127.0.0.1.</value>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The port; 0 picks a free one (the ready line says which).</summary>
    /// <value>The default is 0.</value>
    public int Port { get; init; }

    /// <summary>The bearer token every <c>/v1</c> call must carry.</summary>
    /// <value>The default, null, generates a random one per start.</value>
    public string? Token { get; init; }

    /// <summary>A process whose exit makes the server stop (the host app).</summary>
    /// <value>The default, null, watches no process.</value>
    public int? ParentPid { get; init; }

    /// <summary>Whether the end of standard input stops the server, when standard input is a pipe.</summary>
    /// <value>The default is true: a host app that dies closes the pipe even when it cannot stop the sidecar.</value>
    public bool StopOnStdinClose { get; init; } = true;

    /// <summary>The model store.</summary>
    /// <value>The default, null, is <c>HEARSAY_MODELS_DIR</c>, else the per-user store.</value>
    public string? ModelsDirectory { get; init; }

    /// <summary>A catalog (file or URL) whose entries are added to the built-in one, for private registries.</summary>
    /// <value>The default, null, is <c>HEARSAY_CATALOG</c>, else none.</value>
    public string? CatalogLocation { get; init; }

    /// <summary>The speech-to-text model: a catalog id or a folder; <see cref="None"/> turns speech-to-text off.</summary>
    /// <value>The default is <see cref="DefaultSttModel"/>.</value>
    public string SttModel { get; init; } = DefaultSttModel;

    /// <summary>The voice: a catalog id or a <c>.onnx</c> file; <see cref="None"/> turns text-to-speech off.</summary>
    /// <value>The default is <see cref="DefaultTtsVoice"/>.</value>
    public string TtsVoice { get; init; } = DefaultTtsVoice;

    /// <summary>Browser origins allowed to call the API (CORS); none means CORS is off.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>
    /// Host names accepted in the <c>Host</c> header besides loopback ones (<c>localhost</c>, <c>127.0.0.1</c>,
    /// <c>[::1]</c>), for a server reached by name. Requests naming any other host are refused (DNS rebinding).
    /// <c>*</c> accepts any host, for a server deployment behind a network boundary (the token still guards <c>/v1</c>).
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>The largest request body (an uploaded audio file).</summary>
    /// <value>The default is 25 MiB, as OpenAI's.</value>
    public long MaxRequestBytes { get; init; } = 25L << 20;

    /// <summary>
    /// The longest audio a transcription or translation accepts; longer uploads are refused with 413 before any of it
    /// is transcribed. A small upload can decode to hours (25 MiB hold 7 hours of 1 kHz 8-bit WAV), so the upload size
    /// alone does not bound the work.
    /// </summary>
    /// <value>The default is <see cref="DefaultMaxAudioDuration"/>.</value>
    public TimeSpan MaxAudioDuration { get; init; } = DefaultMaxAudioDuration;

    /// <summary>The longest speech input, in characters.</summary>
    /// <value>The default is 4096, as OpenAI's.</value>
    public int MaxSpeechInputCharacters { get; init; } = 4096;

    /// <summary>Transcriptions run at once.</summary>
    /// <value>The default is 1: one run already uses every core.</value>
    public int SttConcurrency { get; init; } = 1;

    /// <summary>Transcriptions waiting for a turn before further ones get 429.</summary>
    /// <value>The default is 8.</value>
    public int SttQueue { get; init; } = 8;

    /// <summary>Speech requests run at once.</summary>
    /// <value>The default is 2.</value>
    public int TtsConcurrency { get; init; } = 2;

    /// <summary>Speech requests waiting for a turn before further ones get 429.</summary>
    /// <value>The default is 16.</value>
    public int TtsQueue { get; init; } = 16;

    /// <summary>The espeak-ng program.</summary>
    /// <value>
    /// The default, null, searches <c>HEARSAY_ESPEAK_NG</c>, the portable phonemizer beside the binary, espeak-ng next
    /// to it, <c>PATH</c>, then its install folder.
    /// </value>
    public string? EspeakNgPath { get; init; }

    /// <summary>Forces the native espeak-ng or the portable phonemizer (ADR 0010).</summary>
    /// <value>The default, null, takes the first found in the order of <see cref="EspeakNgPath"/>.</value>
    public PhonemizerKind? Phonemizer { get; init; }

    /// <summary>The ffmpeg program for audio other than <see cref="ExternalProgram.InProcessAudioFormats"/>.</summary>
    /// <value>The default, null, searches <c>HEARSAY_FFMPEG</c>, next to the binary, then <c>PATH</c>.</value>
    public string? FfmpegPath { get; init; }

    /// <summary>
    /// Seeds the sampling of Whisper's temperature fallback, so the same audio always gives the same transcript
    /// (reproducible tests and comparisons).
    /// </summary>
    /// <value>The default, null, seeds each transcription at random, as OpenAI's Whisper does.</value>
    public int? SamplingSeed { get; init; }

    /// <summary>Threads per model run, for Whisper and Piper alike (voice activity detection always uses one).</summary>
    /// <value>The default, null, is min(4, cores) (<see cref="EngineThreads.Default"/>); more than the cores counts as the cores.</value>
    public int? Threads { get; init; }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names the option.</exception>
    public void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"--port must be between 0 and 65535, not {Port}.");
        }

        if (Token is { } token && (token.Length < 16 || token.Any(char.IsWhiteSpace)))
        {
            throw new ArgumentException("--token must be at least 16 characters without spaces.");
        }

        if (MaxRequestBytes < 1024)
        {
            throw new ArgumentException("The request size limit must be at least 1 KiB.");
        }

        if (MaxAudioDuration < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException("--max-audio-duration must be at least 1 second.");
        }

        if (MaxSpeechInputCharacters < 1)
        {
            throw new ArgumentException("The speech input limit must be at least 1 character.");
        }

        if (Threads < 1)
        {
            throw new ArgumentException($"--threads must be at least 1, not {Threads}.");
        }

        if (SttConcurrency < 1 || TtsConcurrency < 1 || SttQueue < 0 || TtsQueue < 0)
        {
            throw new ArgumentException("Concurrency must be at least 1 and queue lengths at least 0.");
        }

        foreach (var origin in CorsOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "app" or "file") || uri.AbsolutePath != "/")
            {
                throw new ArgumentException($"--cors-origin {origin} is not an origin such as http://localhost:5173.");
            }
        }
    }
}
