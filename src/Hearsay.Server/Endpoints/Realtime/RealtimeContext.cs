using Hearsay.Core.Stt;
using Hearsay.Server.Capabilities;
using Microsoft.Extensions.Logging;

namespace Hearsay.Server.Endpoints.Realtime;

/// <summary>What every session shares: the engine, the VAD model, the priority of finals, the sampling seed, the log.</summary>
internal sealed record RealtimeContext(
    ServedEngine<ISpeechToTextEngine> Stt, SharedVadModel Vad, RealtimeDecodePriority Priority, int? SamplingSeed, ILogger Logger);
