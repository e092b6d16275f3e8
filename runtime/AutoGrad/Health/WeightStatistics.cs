using System;
using System.Numerics.Tensors;
using AutoGrad.Init;

namespace AutoGrad.Health;

/// <summary>Readings of the weights themselves, for advice about initialization.</summary>
internal static class WeightStatistics
{
    /// <summary>
    /// n_in·Var(W): the factor by which a layer scales the variance of its input (before the activation). He et al.
    /// (2015) keep it at 2 for ReLU, Glorot &amp; Bengio (2010) near 1. NaN for vectors (biases), where it means nothing.
    /// </summary>
    public static double InitScale(Tensor weight, int fanInAxis = 1)
    {
        if (weight.Rank < 2 || weight.Length == 0)
        {
            return double.NaN;
        }
        ReadOnlySpan<float> w = weight.Span;
        double mean = TensorPrimitives.Sum(w) / (double)w.Length;
        double meanSquare = TensorPrimitives.SumOfSquares(w) / (double)w.Length;
        double variance = Math.Max(0, meanSquare - mean * mean);
        return Fans.Of(weight, fanInAxis).In * variance;
    }
}
