using Hearsay.Core.Tts.Phonemization.Portable;
using Microsoft.Extensions.Logging;

namespace Hearsay.Core.Tts.Phonemization;

/// <summary>The runner for a located espeak-ng: a process per call for the native program, a worker for the portable one.</summary>
internal static class EspeakNgRunners
{
    public static IEspeakNg Create(EspeakNgProgram program, PhonemizerOptions options, ILogger logger) =>
        program.Kind == PhonemizerKind.Portable
            ? new PortableEspeakNgRunner(program, PhonemizerWorkerCommand.Resolve(options.WorkerPath), options.Timeout, logger)
            : new EspeakNgRunner(program, options.Timeout);
}
