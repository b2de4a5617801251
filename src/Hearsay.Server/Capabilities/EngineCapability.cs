using System.Diagnostics;
using Hearsay.Contracts.Status;
using Hearsay.Core;
using Hearsay.Core.Models;
using Hearsay.Core.Models.Catalog;
using Hearsay.Core.Models.Store;
using Hearsay.Server.Downloads;
using Microsoft.Extensions.Logging;

namespace Hearsay.Server.Capabilities;

/// <summary>
/// One capability (speech-to-text or text-to-speech): which model it serves, its state, and the loaded engine, lent
/// to requests through leases so that unloading (the model was removed) waits for the runs in flight.
/// </summary>
internal sealed partial class EngineCapability<TEngine> : IDisposable
    where TEngine : class, IDisposable
{
    /// <summary>How long a dispose waits for a load in progress, and then for the runs in flight.</summary>
    private static readonly TimeSpan DrainWaitOnDispose = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();
    private readonly EngineCapabilityOptions _options;
    private readonly IEngineLoader<TEngine> _loader;
    private readonly ModelCatalog _catalog;
    private readonly ModelStore _store;
    private readonly ModelDownloads _downloads;
    private readonly ILogger _logger;
    private CapabilityStatus _status;
    private Loaded? _loaded;
    private int _generation;
    private bool _loading;
    private bool _disposed;
    private Task _load = Task.CompletedTask;

    public EngineCapability(
        EngineCapabilityOptions options, IEngineLoader<TEngine> loader, ModelCatalog catalog, ModelStore store, ModelDownloads downloads, ILogger logger)
    {
        _options = options;
        _loader = loader;
        _catalog = catalog;
        _store = store;
        _downloads = downloads;
        _logger = logger;
        _status = new CapabilityStatus(CapabilityState.Loading, options.Model);
        _downloads.Changed += progress =>
        {
            if (progress.Model == _options.Model)
            {
                Refresh();
            }
        };
        _downloads.Installed += OnInstalled;
    }

    /// <summary>Raised after every change of <see cref="Status"/>.</summary>
    public event Action? Changed;

    /// <summary><c>stt</c> or <c>tts</c>.</summary>
    public string Name => _options.Name;

    /// <summary>The model as configured: a catalog id, a path, or <c>none</c>.</summary>
    public string Model => _options.Model;

    /// <summary>The catalog entry of the configured model, when it is a catalog id.</summary>
    public CatalogModel? CatalogModel => IsCatalogId ? _catalog.Find(_options.Model) : null;

    public CapabilityStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    private bool IsCatalogId => ModelId.NamesCatalogModel(_options.Model);

    /// <summary>Works out the state again and, when the model is installed and not loaded, loads it in the background.</summary>
    public void Refresh()
    {
        CapabilityStatus next;
        int generation;
        lock (_gate)
        {
            if (_loaded is not null || _loading || _disposed)
            {
                return;
            }

            next = Assess(out var load);
            _loading = load;
            generation = load ? ++_generation : -1;
        }

        SetStatus(next);
        if (generation >= 0)
        {
            lock (_gate)
            {
                // LoadAsync yields before its work, so it starts here and runs outside the lock.
                if (!_disposed)
                {
                    _load = LoadAsync(generation);
                }
            }
        }
    }

    /// <summary>
    /// Assesses again when a program the engine needs was missing (<c>unavailable</c>), so installing it takes effect
    /// without a restart. Other states wait for something to change them: a failed load is not retried on every request.
    /// </summary>
    public void RetryIfUnavailable()
    {
        if (Status.State == CapabilityState.Unavailable)
        {
            Refresh();
        }
    }

    /// <summary>The engine for one request, or null with the status saying why it is not ready.</summary>
    public EngineLease<TEngine>? TryLease()
    {
        lock (_gate)
        {
            if (_loaded is null)
            {
                return null;
            }

            _loaded.Leases++;
            return new EngineLease<TEngine>(_loaded.Engine, () => Release(_loaded));
        }
    }

    /// <summary>Drops the engine (its model was removed): runs in flight finish first, then it is disposed.</summary>
    public void Unload()
    {
        Loaded? dropped;
        lock (_gate)
        {
            dropped = _loaded;
            _loaded = null;
            _generation++;
            _loading = false;
            if (dropped is not null)
            {
                dropped.Dropped = true;
                if (dropped.Leases == 0)
                {
                    dropped.Engine.Dispose();
                }
            }
        }

        Refresh();
    }

    /// <summary>
    /// Ends the capability when the server stops. Nothing of ONNX Runtime may still run when the process exits, or its
    /// exit handlers free what that run uses (SIGSEGV): a load in progress, which cannot be cancelled, is waited for and
    /// what it made disposed; runs still holding the engine are waited for, and the engine disposed after the last.
    /// </summary>
    public void Dispose()
    {
        Task load;
        lock (_gate)
        {
            _disposed = true;
            _generation++;
            load = _load;
        }

        load.Wait(DrainWaitOnDispose);
        lock (_gate)
        {
            if (_loaded is not { } loaded)
            {
                return;
            }

            _loaded = null;
            loaded.Dropped = true;
            if (loaded.Leases == 0)
            {
                loaded.Engine.Dispose();
                return;
            }

            // The last run to give the engine back disposes it (a run that outlasts the wait still does).
            var waited = Stopwatch.StartNew();
            while (loaded.Leases > 0 && waited.Elapsed < DrainWaitOnDispose)
            {
                Monitor.Wait(_gate, DrainWaitOnDispose - waited.Elapsed);
            }
        }
    }

    /// <summary>The state when nothing is loaded; sets <paramref name="load"/> when the model can be loaded now.</summary>
    private CapabilityStatus Assess(out bool load)
    {
        load = false;
        var model = _options.Model;
        if (string.Equals(model, HearsayServerOptions.None, StringComparison.OrdinalIgnoreCase))
        {
            return new CapabilityStatus(CapabilityState.Disabled, null, $"{Name} is turned off (--{Name} none).");
        }

        if (_loader.MissingDependency() is { } missing)
        {
            return new CapabilityStatus(CapabilityState.Unavailable, model, missing);
        }

        if (!IsCatalogId)
        {
            load = File.Exists(model) || Directory.Exists(model);
            return load
                ? new CapabilityStatus(CapabilityState.Loading, model)
                : new CapabilityStatus(CapabilityState.Error, model, $"'{model}' is neither a file, a folder nor a model id.");
        }

        // Assessed on every progress report of a download: the store's manifest is read once per assessment.
        var size = _catalog.Find(model)?.SizeBytes;
        var installed = _store.FindInstalled(model) is not null;
        if (size is null && !installed)
        {
            return new CapabilityStatus(CapabilityState.Error, model, $"'{model}' is not in the model catalog ('hearsay models list' shows it).");
        }

        if (installed)
        {
            load = true;
            return new CapabilityStatus(CapabilityState.Loading, model, SizeBytes: size);
        }

        if (_downloads.Find(model) is { } progress)
        {
            return new CapabilityStatus(CapabilityState.Downloading, model, Download: progress, SizeBytes: size);
        }

        if (_downloads.FindFailure(model) is { } failed)
        {
            // In words for people; the technical detail stays in the download's error.
            return new CapabilityStatus(
                CapabilityState.Error, model, $"The download of {model} did not finish. {failed.Reason}", Download: failed, SizeBytes: size);
        }

        return new CapabilityStatus(
            CapabilityState.NotInstalled, model, $"The model '{model}' is not installed; download it (POST /v1/catalog/models/{model}/download or 'hearsay models pull {model}').", SizeBytes: size);
    }

    private async Task LoadAsync(int generation)
    {
        var model = _options.Model;
        CapabilityStatus next;
        try
        {
            await Task.Yield();
            var installed = IsCatalogId ? _store.FindInstalled(model) : null;
            var path = installed?.LoadPath ?? model;
            var started = TimeProvider.System.GetTimestamp();
            var engine = await _loader.LoadAsync(path, CancellationToken.None).ConfigureAwait(false);
            lock (_gate)
            {
                if (generation != _generation)
                {
                    // Unloaded (or disposed) while loading.
                    engine.Dispose();
                    return;
                }

                _loading = false;
                _loaded = new Loaded(engine) { InstalledAt = installed?.InstalledAt };
            }

            var elapsed = TimeProvider.System.GetElapsedTime(started);
            LogLoaded(_logger, Name, model, (long)elapsed.TotalMilliseconds);
            next = new CapabilityStatus(CapabilityState.Ready, model, SizeBytes: CatalogModel?.SizeBytes);
        }
        catch (DependencyUnavailableException e)
        {
            next = new CapabilityStatus(CapabilityState.Unavailable, model, e.Message);
        }
        catch (Exception e)
        {
            // Whatever a load throws must end it: an unreadable file (IOException, UnauthorizedAccessException) or a
            // damaged one (InvalidDataException, ONNX Runtime's own) once left the capability loading for ever.
            var reason = LoadFailure.Reason(model, e);
            LogLoadFailed(_logger, Name, model, reason, e is HearsayException ? null : e);
            next = new CapabilityStatus(CapabilityState.Error, model, reason);
        }

        lock (_gate)
        {
            if (generation != _generation)
            {
                return;
            }

            // A failed load stays failed until something changes (the model is downloaded again or removed).
            _loading = false;
        }

        SetStatus(next);
    }

    /// <summary>A replacing download installed another version of the loaded model: load that one (runs in flight finish on the old).</summary>
    private void OnInstalled(string id)
    {
        if (id != _options.Model || !IsCatalogId)
        {
            return;
        }

        var installedAt = _store.FindInstalled(id)?.InstalledAt;
        bool replaced;
        lock (_gate)
        {
            replaced = _loaded is not null && _loaded.InstalledAt != installedAt;
        }

        if (replaced)
        {
            Unload();
        }
    }

    private void Release(Loaded loaded)
    {
        lock (_gate)
        {
            loaded.Leases--;
            if (loaded.Dropped && loaded.Leases == 0)
            {
                loaded.Engine.Dispose();
                Monitor.PulseAll(_gate);
            }
        }
    }

    private void SetStatus(CapabilityStatus status)
    {
        lock (_gate)
        {
            if (_status == status)
            {
                return;
            }

            _status = status;
        }

        Changed?.Invoke();
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "{Capability}: loaded {Model} in {ElapsedMs} ms")]
    private static partial void LogLoaded(ILogger logger, string capability, string model, long elapsedMs);

    /// <summary>The exception goes with it when Hearsay did not expect it (its own failures already say it all).</summary>
    [LoggerMessage(EventId = 2011, Level = LogLevel.Error, Message = "{Capability}: cannot load {Model}: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, string capability, string model, string reason, Exception? exception);

    private sealed class Loaded(TEngine engine)
    {
        public TEngine Engine { get; } = engine;

        public int Leases { get; set; }

        public bool Dropped { get; set; }

        /// <summary>When the store installed the version loaded (null for a path); a newer install replaces it.</summary>
        public DateTimeOffset? InstalledAt { get; init; }
    }
}
