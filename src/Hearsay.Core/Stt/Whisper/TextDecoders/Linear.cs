namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>
/// A fully connected layer, y = x·W + b, applied to a batch of rows. Weights are stored one output per row, so each
/// output is one contiguous dot product; large layers split their outputs across <see cref="Threads"/>.
/// </summary>
internal abstract class Linear(int inputs, int outputs, float[]? bias, int threads)
{
    // Below this many multiply-adds a layer runs on the calling thread: handing work to the pool costs more. At 2^16
    // a tiny.en step's 384×384 layers split too (they were a third of its layer time on one core): 1.88-1.99 ms per
    // token against 2.05-2.26 at 2^18, alternating runs on a quiet machine (bench transcribe).
    private const long ParallelWork = 1 << 16;

    public int Inputs { get; } = inputs;

    public int Outputs { get; } = outputs;

    public float[]? Bias { get; } = bias;

    public int Threads { get; } = Math.Max(1, threads);

    /// <summary>Computes <paramref name="rows"/> rows of output ([rows, Outputs]) from <paramref name="input"/> ([rows, Inputs]).</summary>
    /// <param name="input">[rows, Inputs].</param>
    /// <param name="output">[rows, Outputs].</param>
    /// <param name="rows">The rows.</param>
    /// <param name="activation">
    /// An element-wise function applied to the outputs by the thread that computed them, while they are still in its
    /// cache and without a pass of its own (GELU after the MLP's first layer).
    /// </param>
    /// <param name="anySumOrder">
    /// Whether float sums may run in another order than a single row's (register blocks of rows and outputs, several
    /// times faster on a batch). The alignment pass allows it; decoding does not, so transcripts stay bit for bit.
    /// </param>
    public void Apply(float[] input, float[] output, int rows, Activation? activation = null, bool anySumOrder = false)
    {
        var prepared = Prepare(input, rows);
        try
        {
            var parts = (long)Inputs * Outputs * rows < ParallelWork ? 1 : Threads;
            ThreadRanges.For(Outputs, parts, (_, start, end) =>
            {
                Compute(prepared, output, rows, start, end, anySumOrder);
                for (var row = 0; activation is not null && row < rows; row++)
                {
                    activation(output.AsSpan((row * Outputs) + start, end - start));
                }
            });
        }
        finally
        {
            Release(prepared);
        }
    }

    /// <summary>Whatever the input needs once per call before the outputs are computed (e.g. quantization).</summary>
    protected abstract object Prepare(float[] input, int rows);

    /// <summary>Gives back what <see cref="Prepare"/> rented, once every output is computed.</summary>
    protected virtual void Release(object prepared)
    {
    }

    /// <summary>Outputs <paramref name="start"/> to <paramref name="end"/> (exclusive) of every row.</summary>
    protected abstract void Compute(object prepared, float[] output, int rows, int start, int end, bool anySumOrder);

    /// <summary>An element-wise function, applied in place.</summary>
    public delegate void Activation(Span<float> values);
}
