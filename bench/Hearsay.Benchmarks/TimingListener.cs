using System.Diagnostics.Metrics;
using Hearsay.Core.Diagnostics;

namespace Hearsay.Benchmarks;

/// <summary>Sums Hearsay's duration histograms (phonemizer, ONNX Runtime Run) between resets.</summary>
internal sealed class TimingListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private double _phonemizeSeconds;
    private double _runSeconds;
    private int _runs;

    public TimingListener()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == HearsayMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, seconds, _, _) =>
        {
            lock (_gate)
            {
                switch (instrument.Name)
                {
                    case HearsayMetrics.PhonemizeDuration:
                        _phonemizeSeconds += seconds;
                        break;
                    case HearsayMetrics.TtsInferenceDuration:
                        _runSeconds += seconds;
                        _runs++;
                        break;
                }
            }
        });
        _listener.Start();
    }

    public (double PhonemizeSeconds, double RunSeconds, int Runs) Snapshot()
    {
        lock (_gate)
        {
            return (_phonemizeSeconds, _runSeconds, _runs);
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            (_phonemizeSeconds, _runSeconds, _runs) = (0, 0, 0);
        }
    }

    public void Dispose() => _listener.Dispose();
}
