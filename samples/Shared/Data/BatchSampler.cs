using System;
using AutoGrad.Init;

namespace AutoGrad.Samples.Data;

/// <summary>
/// Mini-batches drawn without replacement: the subset is reshuffled (seeded) at the start of every epoch and read in
/// order. <see cref="X"/> and <see cref="Labels"/> are allocated once and overwritten by <see cref="Next"/>, so a
/// training step allocates nothing here.
/// </summary>
public sealed class BatchSampler
{
    private readonly DigitsSubset _source;
    private readonly int[] _order;
    private readonly InitRandom _random;
    private int _position;

    /// <summary>Creates a sampler of batches of <paramref name="batchSize"/> images.</summary>
    public BatchSampler(DigitsSubset source, int batchSize, ulong seed)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        if (batchSize < 1 || batchSize > source.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"Must be in 1..{source.Count}.");
        }
        _order = new int[source.Count];
        for (int i = 0; i < _order.Length; i++) _order[i] = i;
        _random = new InitRandom(seed);
        _position = _order.Length; // shuffle before the first batch
        X = Tensor.Zeros(batchSize, Digits.Features);
        Labels = new int[batchSize];
    }

    /// <summary>The current batch's pixels, <c>[batch, 64]</c>.</summary>
    public Tensor X { get; }

    /// <summary>The current batch's labels.</summary>
    public int[] Labels { get; }

    /// <summary>Fills <see cref="X"/> and <see cref="Labels"/> with the next batch.</summary>
    public void Next()
    {
        Span<float> x = X.Span;
        for (int r = 0; r < Labels.Length; r++)
        {
            if (_position == _order.Length)
            {
                DigitsSplit.Shuffle(_order, _random);
                _position = 0;
            }
            int row = _order[_position++];
            _source.Image(row).CopyTo(x.Slice(r * Digits.Features, Digits.Features));
            Labels[r] = _source.Labels[row];
        }
    }
}
