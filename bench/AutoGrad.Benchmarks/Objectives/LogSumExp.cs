using System;
using AutoGrad.Internal;

namespace AutoGrad.Benchmarks.Objectives;

/// <summary>
/// The numerically stable log-sum-exp <c>f(x) = m + log Σᵢ exp(xᵢ − m)</c> with <c>m = maxᵢ xᵢ</c>. Its gradient is
/// the softmax; the branch that picks the maximum has a zero net derivative, which a generated gradient must
/// reproduce without special knowledge.
/// </summary>
public static partial class LogSumExp
{
    /// <summary>The benchmark's size, n = 10⁴.</summary>
    public const int BenchmarkSize = 10_000;

    /// <summary>The primal, written in the scalar subset the generator differentiates.</summary>
    /// <param name="x">The values; at least one.</param>
    /// <returns><c>log Σ exp(xᵢ)</c>, computed without overflow.</returns>
    [Differentiable]
    public static double Objective(ReadOnlySpan<double> x)
    {
        double max = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            if (x[i] > max)
            {
                max = x[i];
            }
        }
        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += Math.Exp(x[i] - max);
        }
        return max + Math.Log(sum);
    }

    /// <summary>
    /// The hand-written gradient (the softmax): the exponentials are written straight into <paramref name="dX"/>
    /// while they are summed, then scaled once, so each <c>exp</c> is evaluated only once.
    /// </summary>
    /// <param name="x">The values; at least one.</param>
    /// <param name="dX">Receives ∂f/∂x (overwritten); the same length as <paramref name="x"/>.</param>
    /// <returns>The function's value, as <see cref="Objective"/> computes it.</returns>
    public static double ObjectiveGradientByHand(ReadOnlySpan<double> x, Span<double> dX)
    {
        GradientArguments.CheckLength(dX.Length, x.Length, nameof(dX), nameof(x));
        double max = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            if (x[i] > max)
            {
                max = x[i];
            }
        }
        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            double e = Math.Exp(x[i] - max);
            dX[i] = e;
            sum += e;
        }
        double inverse = 1.0 / sum;
        for (int i = 0; i < dX.Length; i++)
        {
            dX[i] *= inverse;
        }
        return max + Math.Log(sum);
    }
}
