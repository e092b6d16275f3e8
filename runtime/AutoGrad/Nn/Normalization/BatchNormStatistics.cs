using System;

namespace AutoGrad;

/// <summary>
/// Running estimates of each feature's mean and variance for batch normalization, as PyTorch's <c>BatchNorm1d</c>
/// keeps them: a training step (<see cref="Nn.BatchNorm(Tensor, Tensor, Tensor, BatchNormStatistics, string, int, string, string, string, string)"/>)
/// moves them toward its batch's statistics, and inference (<see cref="Nn.BatchNormInference"/>) normalizes with
/// them, so a single example is normalized the same way whatever else is in its batch.
/// </summary>
/// <remarks>
/// After a batch with mean μ_B and biased variance σ²_B of n rows: <c>mean ← (1 − m)·mean + m·μ_B</c> and
/// <c>variance ← (1 − m)·variance + m·σ²_B·n/(n − 1)</c> (the unbiased batch variance, as PyTorch does). A probed
/// gradient whose loss comes out NaN or ∞ may rerun the method's forward computation to find where the value started;
/// that rerun updates the statistics again with the same batch.
/// </remarks>
public sealed class BatchNormStatistics
{
    /// <summary>Statistics for <paramref name="features"/> features: mean 0 and variance 1, as PyTorch starts them.</summary>
    /// <param name="features">The normalized axis' length (the <c>features</c> of <c>[batch, features]</c>).</param>
    /// <param name="momentum">The weight m of each new batch, in [0, 1]; PyTorch's default is 0.1.</param>
    public BatchNormStatistics(int features, float momentum = 0.1f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        if (!(momentum >= 0f && momentum <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The momentum must be in [0, 1] (PyTorch's default is 0.1).");
        }
        Momentum = momentum;
        RunningMean = Tensor.Zeros(features);
        RunningVariance = Tensor.Zeros(features);
        Reset();
    }

    /// <summary>The number of features.</summary>
    public int Features => RunningMean.Length;

    /// <summary>The weight of each new batch's statistics.</summary>
    public float Momentum { get; }

    /// <summary>Each feature's running mean, <c>[features]</c>.</summary>
    public Tensor RunningMean { get; }

    /// <summary>Each feature's running (unbiased) variance, <c>[features]</c>.</summary>
    public Tensor RunningVariance { get; }

    /// <summary>How many training batches have updated the statistics.</summary>
    public long BatchesTracked { get; private set; }

    /// <summary>Back to mean 0, variance 1 and no batches.</summary>
    public void Reset()
    {
        RunningMean.Span.Clear();
        RunningVariance.Span.Fill(1f);
        BatchesTracked = 0;
    }

    /// <summary>Moves the estimates toward one batch's mean and biased variance.</summary>
    internal void Update(ReadOnlySpan<float> batchMean, ReadOnlySpan<float> biasedVariance, int batch)
    {
        Span<float> mean = RunningMean.Span, variance = RunningVariance.Span;
        float m = Momentum, unbiased = batch / (float)(batch - 1);
        for (int i = 0; i < mean.Length; i++)
        {
            mean[i] = (1f - m) * mean[i] + m * batchMean[i];
            float updated = (1f - m) * variance[i] + m * biasedVariance[i] * unbiased;
            if (float.IsPositiveInfinity(updated) && float.IsFinite(variance[i]) && float.IsFinite(biasedVariance[i]))
            {
                // A variance near float's largest value, scaled by n/(n − 1) and averaged, overflowed: +∞ would stay for
                // good (0.9·∞) and inference would output β. Float's largest value is what the average can hold.
                updated = float.MaxValue;
            }
            variance[i] = updated;
        }
        BatchesTracked++;
    }
}
