using Hearsay.Core;
using Hearsay.Core.Audio.Input;
using Hearsay.Core.ExternalPrograms;
using Hearsay.Server.Errors;
using Microsoft.Extensions.Logging;

namespace Hearsay.Server.Endpoints;

/// <summary>Opens the uploaded audio of a transcription or translation for the engine.</summary>
internal static class TranscriptionAudio
{
    /// <summary>
    /// Decodes <paramref name="upload"/> under the server's duration limit. A form's file is buffered, so it can seek:
    /// audio past the limit is refused here, before any of it reaches the engine.
    /// </summary>
    /// <param name="upload">The form file's stream; the reader does not dispose it.</param>
    /// <param name="options">The server's duration limit, and its ffmpeg option for when the table found none.</param>
    /// <param name="tools">The server's table of programs: where ffmpeg is, if anywhere.</param>
    /// <param name="loggers">For the decoder's log.</param>
    /// <param name="cancellationToken">The request's.</param>
    /// <exception cref="ApiException">400, 413 or 415 naming <c>file</c> when the audio is malformed, too long or in a format that cannot be read.</exception>
    public static async Task<MonoAudioReader> OpenAsync(
        Stream upload, HearsayServerOptions options, ExternalTools tools, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        // ffmpeg where the table found it; without one there, the decoder says why if the upload needs it.
        var ffmpeg = tools.Find(ExternalProgram.Ffmpeg).ExecutablePath ?? options.FfmpegPath;
        var input = new AudioInputOptions { FfmpegPath = ffmpeg, MaxDuration = options.MaxAudioDuration, LoggerFactory = loggers };
        try
        {
            return await AudioDecoder.OpenAsync(upload, input, cancellationToken);
        }
        catch (HearsayException e) when (e.Code is HearsayErrorCode.InvalidInput or HearsayErrorCode.AudioTooLong or HearsayErrorCode.UnsupportedFormat)
        {
            throw HearsayErrorMapping.ToApi(e, "file");
        }
    }
}
