using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Hearsay.Benchmarks.Peers;

/// <summary>
/// The floor for Hearsay's encoder figure: the same encoder file run by ONNX Runtime alone (its default session
/// options but the thread count), on one 30 s window of silence-level features; the work does not depend on them.
/// Prints one line per timed run, in ms.
/// </summary>
internal static class RawOrtEncoder
{
    private const int Frames = 3000;

    /// <summary>usage: peers-ort ENCODER.onnx THREADS MELS WARMUPS RUNS</summary>
    public static int Run(string[] args)
    {
        var threads = int.Parse(args[1], CultureInfo.InvariantCulture);
        var mels = int.Parse(args[2], CultureInfo.InvariantCulture);
        var (warmUps, runs) = (int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture));
        using var options = new SessionOptions { IntraOpNumThreads = threads };
        using var session = new InferenceSession(args[0], options);
        var mel = new DenseTensor<float>(new float[mels * Frames], [1, mels, Frames]);
        mel.Fill(-1.5f);
        var inputs = new[] { NamedOnnxValue.CreateFromTensor("mel", mel) };
        for (var i = 0; i < warmUps + runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using (session.Run(inputs))
            {
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (i >= warmUps)
                {
                    Console.WriteLine(ms.ToString("0.000", CultureInfo.InvariantCulture));
                }
            }
        }

        return 0;
    }
}
