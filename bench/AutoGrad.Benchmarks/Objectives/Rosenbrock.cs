using System;
using AutoGrad.Internal;

namespace AutoGrad.Benchmarks.Objectives;

/// <summary>
/// The extended Rosenbrock function <c>f(x) = Σᵢ (1 − xᵢ)² + 100 (xᵢ₊₁ − xᵢ²)²</c>, i = 0 … n − 2:
/// a long chain of cheap, coupled terms, the standard test of per-element overhead in a gradient.
/// </summary>
public static partial class Rosenbrock
{
    /// <summary>The benchmark's size, n = 10⁵.</summary>
    public const int BenchmarkSize = 100_000;

    /// <summary>The primal, written in the scalar subset the generator differentiates.</summary>
    /// <param name="x">The point; any length (lengths 0 and 1 give 0).</param>
    /// <returns>The function's value.</returns>
    [Differentiable]
    public static double Objective(ReadOnlySpan<double> x)
    {
        double sum = 0.0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double a = 1.0 - x[i];
            double b = x[i + 1] - x[i] * x[i];
            sum += a * a + 100.0 * b * b;
        }
        return sum;
    }

    /// <summary>
    /// The hand-written gradient: one pass that writes each <c>dX[i]</c> once. Term i touches xᵢ and xᵢ₊₁, so the
    /// xᵢ₊₁ part is carried in a register to the next iteration instead of being read back from memory.
    /// </summary>
    /// <param name="x">The point.</param>
    /// <param name="dX">Receives ∂f/∂x (overwritten); the same length as <paramref name="x"/>.</param>
    /// <returns>The function's value, as <see cref="Objective"/> computes it.</returns>
    public static double ObjectiveGradientByHand(ReadOnlySpan<double> x, Span<double> dX)
    {
        GradientArguments.CheckLength(dX.Length, x.Length, nameof(dX), nameof(x));
        if (x.Length == 0)
        {
            return 0.0;
        }
        double sum = 0.0;
        double carry = 0.0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double xi = x[i];
            double a = 1.0 - xi;
            double b = x[i + 1] - xi * xi;
            sum += a * a + 100.0 * b * b;
            dX[i] = carry - 2.0 * a - 400.0 * b * xi;
            carry = 200.0 * b;
        }
        dX[x.Length - 1] = carry;
        return sum;
    }
}
