using Hearsay.Core.Vad;
using Microsoft.Extensions.Logging;

namespace Hearsay.Server.Endpoints.Realtime;

/// <summary>The bundled Silero VAD model, loaded by the first session that needs server VAD and shared by all (each has its own scorer).</summary>
internal sealed class SharedVadModel(ILoggerFactory loggers) : IDisposable
{
    private readonly Lazy<SileroVadModel> _model = new(() => SileroVadModel.LoadBundled(loggers));

    public SileroVadScorer CreateScorer() => _model.Value.CreateScorer();

    public void Dispose()
    {
        if (_model.IsValueCreated)
        {
            _model.Value.Dispose();
        }
    }
}
