using System.Numerics.Tensors;
using Hearsay.Core.Stt.Whisper.Model;

namespace Hearsay.Core.Stt.Whisper.TextDecoders;

/// <summary>
/// The Whisper text decoder computed in Hearsay from the weights of the sherpa-onnx decoder file, with the same maths
/// as that graph. The self-attention cache grows by one row per position (nothing is copied) and the encoder's cross
/// keys and values are read where they are; only the positions whose logits are needed are projected onto the
/// vocabulary, and that projection is estimated through <see cref="LogitScreen"/>, the decoding rules refining the
/// logits they need exact.
/// </summary>
internal sealed class ManagedTextDecoder : ITextDecoder, ICrossAttentionScores
{
    private readonly DecoderWeights _weights;
    private readonly DecoderDimensions _dims;
    private readonly float[] _crossKeys;
    private readonly float[] _crossValues;
    private readonly int _audioPositions;
    private readonly float[][] _keys;
    private readonly float[][] _values;
    private readonly Attention[] _selfAttentions;
    private readonly Attention _crossAttention;
    private readonly BatchedCrossAttention _batchedCrossAttention;
    private readonly float[] _logits;
    private readonly float[] _errors;
    private readonly float[] _lastState;
    private readonly float[] _row;
    private readonly DeferredNormalizers _normalizers;
    private float[]? _exact;
    private Buffers _buffers;

    /// <param name="weights">The decoder.</param>
    /// <param name="crossKeys">The encoder's cross-attention keys, [layers, audio positions, state]; read at every step.</param>
    /// <param name="crossValues">The encoder's cross-attention values, same shape.</param>
    public ManagedTextDecoder(DecoderWeights weights, float[] crossKeys, float[] crossValues)
    {
        _weights = weights;
        _dims = weights.Dimensions;
        _crossKeys = crossKeys;
        _crossValues = crossValues;
        _audioPositions = crossKeys.Length / (_dims.Layers * _dims.State);
        _keys = [.. Enumerable.Range(0, _dims.Layers).Select(_ => new float[_dims.Context * _dims.State])];
        _values = [.. Enumerable.Range(0, _dims.Layers).Select(_ => new float[_dims.Context * _dims.State])];
        var threads = weights.Threads;
        // One per thread: a batch's rows are split across threads. Each is made for the same thread count, so a row
        // splits its own keys as a single row does, and sums them the same way.
        _selfAttentions = [.. Enumerable.Range(0, threads).Select(_ => new Attention(_dims.State, _dims.Heads, _dims.Context, threads))];
        _crossAttention = new Attention(_dims.State, _dims.Heads, _audioPositions, threads);
        _batchedCrossAttention = new BatchedCrossAttention(_dims.State, _dims.Heads, threads);
        _logits = new float[_dims.Vocabulary];
        _errors = new float[_dims.Vocabulary];
        _normalizers = new DeferredNormalizers(weights.TokenEmbedding, threads);
        _lastState = new float[_dims.State];
        _row = new float[_dims.State];
        _buffers = new Buffers(1, _dims.State, weights.Layers[0].MlpUp.Outputs);
    }

    public int Offset { get; private set; }

    public int Threads => _weights.Threads;

    public ReadOnlySpan<float> LogitErrors => _errors;

    public ReadOnlySpan<float> Start(IReadOnlyList<int> tokens, int sotIndex, Span<float> sotLogits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (tokens.Count == 0 || tokens.Count > _dims.Context)
        {
            throw new ArgumentException($"A sequence needs 1 to {_dims.Context} tokens, not {tokens.Count}.", nameof(tokens));
        }

        Offset = 0;
        Forward(tokens);
        if (!sotLogits.IsEmpty)
        {
            ComputeExactLogits(sotIndex).CopyTo(sotLogits);
        }

        return NextLogits(tokens.Count - 1);
    }

    public ReadOnlySpan<float> Step(int token, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Offset >= _dims.Context)
        {
            throw new InvalidOperationException($"The decoder context of {_dims.Context} positions is full.");
        }

        Forward([token]);
        return NextLogits(0);
    }

    public void Refine(Span<float> logits, int token)
    {
        if (_errors[token] == 0)
        {
            return;
        }

        // The same dot product the exact projection computes, so a refined logit equals it bit for bit.
        _weights.TokenEmbedding.Read(token, _row);
        logits[token] = TensorPrimitives.Dot(_row, _lastState);
        _errors[token] = 0;
    }

    public void RefineAll(Span<float> logits)
    {
        // One pass over the file's rows in blocks instead of a read per row; the same dot products as Refine. The
        // buffer is kept: a sampled window can refine everything at many of its steps.
        var exact = _exact ??= new float[_dims.Vocabulary];
        _weights.TokenEmbedding.Project(_lastState, exact, _weights.Threads);
        for (var i = 0; i < logits.Length; i++)
        {
            if (_errors[i] > 0 && float.IsFinite(logits[i]))
            {
                logits[i] = exact[i];
                _errors[i] = 0;
            }
        }
    }

    public void KeepStep(ReadOnlySpan<float> filteredLogits) => _normalizers.AddDeferred(_lastState, filteredLogits);

    public double[] TakeLogSumExps() => _normalizers.Take();

    public float[] CrossAttentionScores(IReadOnlyList<int> tokens, IReadOnlyList<AlignmentHead> heads, int frames, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (tokens.Count == 0 || tokens.Count > _dims.Context)
        {
            throw new ArgumentException($"A sequence needs 1 to {_dims.Context} tokens, not {tokens.Count}.", nameof(tokens));
        }

        frames = Math.Clamp(frames, 0, _audioPositions);
        var scores = new CrossScores(heads, frames, tokens.Count, new float[heads.Count * tokens.Count * frames]);
        Offset = 0;
        Forward(tokens, scores);
        return scores.Output;
    }

    /// <summary>Nothing to free: the decoder's buffers are managed.</summary>
    public void Dispose()
    {
    }

    /// <summary>Runs the blocks over <paramref name="tokens"/> at positions Offset, Offset+1, ... and advances Offset.
    /// With <paramref name="scores"/>, only the layers up to the last one it reads are run, and their heads' scores are
    /// written to it.</summary>
    private void Forward(IReadOnlyList<int> tokens, CrossScores? scores = null)
    {
        var rows = tokens.Count;
        var d = _dims.State;
        if (_buffers.Rows < rows)
        {
            _buffers = new Buffers(rows, d, _weights.Layers[0].MlpUp.Outputs);
        }

        var b = _buffers;
        for (var r = 0; r < rows; r++)
        {
            _weights.TokenEmbedding.Read(tokens[r], _row);
            TensorPrimitives.Add(_row, _weights.Positions.AsSpan((Offset + r) * d, d), b.X.AsSpan(r * d, d));
        }

        // The alignment pass's scores move in their last bits anyway (BatchedCrossAttention), so its products may be
        // summed in register blocks; decoding keeps each row's own sums.
        var aligning = scores is not null;
        var layers = scores is null ? _weights.Layers.Count : scores.Heads.Max(head => head.Layer) + 1;
        for (var l = 0; l < layers; l++)
        {
            var layer = _weights.Layers[l];
            layer.SelfAttentionNorm.Apply(b.X, b.Normed, rows);
            layer.SelfQuery.Apply(b.Normed, b.Query, rows, anySumOrder: aligning);
            layer.SelfKey.Apply(b.Normed, b.Key, rows, anySumOrder: aligning);
            layer.SelfValue.Apply(b.Normed, b.Value, rows, anySumOrder: aligning);
            b.Key.AsSpan(0, rows * d).CopyTo(_keys[l].AsSpan(Offset * d));
            b.Value.AsSpan(0, rows * d).CopyTo(_values[l].AsSpan(Offset * d));
            SelfAttend(l, rows);

            AddProjection(layer.SelfOut, b.Attended, rows, aligning);

            layer.CrossAttentionNorm.Apply(b.X, b.Normed, rows);
            layer.CrossQuery.Apply(b.Normed, b.Query, rows, anySumOrder: aligning);
            var crossSize = _audioPositions * d;
            if (scores is not null)
            {
                // The alignment pass: all rows at once, the alignment heads' scores taken on the way.
                var last = l == layers - 1;
                // The last layer gives only scores, so only the frames they are kept for.
                _batchedCrossAttention.Apply(
                    b.Query, _crossKeys, _crossValues, l * crossSize, last ? scores.Frames : _audioPositions, rows, b.Attended, scores.SinkFor(l), scoresOnly: last);
                if (last)
                {
                    // The scores of the last layer asked for are all there is to compute.
                    Offset += rows;
                    return;
                }
            }
            else
            {
                for (var r = 0; r < rows; r++)
                {
                    _crossAttention.Apply(b.Query, r * d, _crossKeys, _crossValues, l * crossSize, _audioPositions, b.Attended, r * d);
                }
            }

            AddProjection(layer.CrossOut, b.Attended, rows, aligning);

            layer.MlpNorm.Apply(b.X, b.Normed, rows);
            layer.MlpUp.Apply(b.Normed, b.Hidden, rows, Gelu.Apply, aligning);
            AddProjection(layer.MlpDown, b.Hidden, rows, aligning);
        }

        _weights.FinalNorm.Apply(b.X, b.Normed, rows);
        Offset += rows;
    }

    /// <summary>
    /// Each row's causal self-attention over layer <paramref name="layer"/>'s cache: position Offset + r sees itself and
    /// everything before it. The rows of a batch are dealt out to the threads in turn, since later rows see more keys.
    /// </summary>
    private void SelfAttend(int layer, int rows)
    {
        var (b, d, parts) = (_buffers, _dims.State, Math.Min(rows, _selfAttentions.Length));
        ThreadRanges.For(parts, parts, (part, _, _) =>
        {
            for (var r = part; r < rows; r += parts)
            {
                _selfAttentions[part].Apply(b.Query, r * d, _keys[layer], _values[layer], 0, Offset + r + 1, b.Attended, r * d);
            }
        });
    }

    /// <summary>The residual step: X += layer(input).</summary>
    private void AddProjection(Linear layer, float[] input, int rows, bool anySumOrder)
    {
        var b = _buffers;
        layer.Apply(input, b.Projected, rows, anySumOrder: anySumOrder);
        var size = rows * _dims.State;
        TensorPrimitives.Add(b.X.AsSpan(0, size), b.Projected.AsSpan(0, size), b.X.AsSpan(0, size));
    }

    /// <summary>The estimated logits of row <paramref name="row"/> of the last forward pass.</summary>
    private ReadOnlySpan<float> NextLogits(int row)
    {
        _buffers.Normed.AsSpan(row * _dims.State, _dims.State).CopyTo(_lastState);
        _weights.LogitScreen.Estimate(_lastState, _logits, _errors);
        return _logits;
    }

    /// <summary>The exact logits of row <paramref name="row"/> of the last forward pass.</summary>
    private ReadOnlySpan<float> ComputeExactLogits(int row)
    {
        _buffers.Normed.AsSpan(row * _dims.State, _dims.State).CopyTo(_lastState);
        _weights.TokenEmbedding.Project(_lastState, _logits, _weights.Threads);
        Array.Clear(_errors);
        return _logits;
    }

    /// <summary>Where <see cref="Forward"/> writes the cross-attention scores of <paramref name="Heads"/>: [head, row, frame].</summary>
    private sealed record CrossScores(IReadOnlyList<AlignmentHead> Heads, int Frames, int Rows, float[] Output)
    {
        /// <summary>What keeps layer <paramref name="layer"/>'s alignment heads' scores over the first frames; null when it has none.</summary>
        public BatchedCrossAttention.ScoresSink? SinkFor(int layer)
        {
            if (!Heads.Any(head => head.Layer == layer))
            {
                return null;
            }

            return (head, row, scores) =>
            {
                for (var i = 0; i < Heads.Count; i++)
                {
                    if (Heads[i] == new AlignmentHead(layer, head))
                    {
                        scores[..Frames].CopyTo(Output.AsSpan(((i * Rows) + row) * Frames, Frames));
                    }
                }
            };
        }
    }

    /// <summary>Activations for a batch of rows.</summary>
    private sealed class Buffers(int rows, int state, int hidden)
    {
        public int Rows { get; } = rows;

        public float[] X { get; } = new float[rows * state];

        public float[] Normed { get; } = new float[rows * state];

        public float[] Query { get; } = new float[rows * state];

        public float[] Key { get; } = new float[rows * state];

        public float[] Value { get; } = new float[rows * state];

        public float[] Attended { get; } = new float[rows * state];

        public float[] Projected { get; } = new float[rows * state];

        public float[] Hidden { get; } = new float[rows * hidden];
    }
}
