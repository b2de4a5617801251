using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Contracts.Errors;
using Hearsay.Contracts.Status;
using Hearsay.Server.Concurrency;
using Hearsay.Server.Errors;

namespace Hearsay.Server.Capabilities;

/// <summary>A capability as requests meet it: ready or a 503 saying why not, then a turn at the gate, then the engine.</summary>
internal sealed class ServedEngine<TEngine>(EngineCapability<TEngine> capability, EngineGate gate, string displayName) : IDisposable
    where TEngine : class, IDisposable
{
    public EngineCapability<TEngine> Capability { get; } = capability;

    /// <summary>Waits for a turn and lends the engine for one run; dispose the result when the run ends.</summary>
    /// <exception cref="ApiException">503 when the capability is not ready; 429 when its queue is full.</exception>
    public async Task<EngineTurn<TEngine>> AcquireAsync(CancellationToken cancellationToken)
    {
        // A program installed since the capability found it missing is looked for again; cheap, and a load starts at once.
        Capability.RetryIfUnavailable();
        // Not ready is answered at once rather than after a wait in the queue.
        ThrowUnlessReady();
        var turn = await gate.EnterAsync(cancellationToken);
        var lease = Capability.TryLease();
        if (lease is null)
        {
            turn.Dispose();
            ThrowUnlessReady();
            throw NotReady(Capability.Status);
        }

        return new EngineTurn<TEngine>(lease, turn);
    }

    /// <summary>The capability first: it waits for the load and the runs in flight that the gate let in.</summary>
    public void Dispose()
    {
        Capability.Dispose();
        gate.Dispose();
    }

    private void ThrowUnlessReady()
    {
        var status = Capability.Status;
        if (status.State != CapabilityState.Ready)
        {
            throw NotReady(status);
        }
    }

    private ApiException NotReady(CapabilityStatus status)
    {
        var state = JsonSerializer.Serialize(status.State, HearsayJsonContext.Web.CapabilityState).Trim('"');
        var reason = status.Reason is { } why ? " " + why : status.State switch
        {
            CapabilityState.Downloading => " Its model is being downloaded; GET /v1/status shows the progress.",
            CapabilityState.Loading => " Its model is loading; retry in a moment.",
            _ => "",
        };
        // Transient states are worth retrying soon; the others need someone to act.
        TimeSpan? retryAfter = status.State is CapabilityState.Loading or CapabilityState.Downloading ? TimeSpan.FromSeconds(2) : null;
        return new ApiException(503, ErrorCodes.CapabilityNotReady, $"{displayName} is not ready ({state}).{reason}", retryAfter: retryAfter);
    }
}

/// <summary>An engine lent for one run, and the gate turn that allowed it.</summary>
internal sealed class EngineTurn<TEngine>(EngineLease<TEngine> lease, IDisposable turn) : IDisposable
    where TEngine : class
{
    public TEngine Engine => lease.Engine;

    public void Dispose()
    {
        lease.Dispose();
        turn.Dispose();
    }
}
