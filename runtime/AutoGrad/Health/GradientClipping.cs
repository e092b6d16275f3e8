using System;
using System.Numerics.Tensors;
using AutoGrad.Optim;
using AutoGrad.Probes;

namespace AutoGrad.Health;

/// <summary>
/// Gradient clipping (Pascanu, Mikolov &amp; Bengio, 2013): rescale all gradients together when their global L2 norm
/// exceeds a limit, keeping the direction, or clamp each value. The global norm comes from the probes, which
/// measured it while the gradients were produced, so clipping costs one scaling pass and no extra reading pass.
/// </summary>
public static class GradientClipping
{
    /// <summary>Scales every gradient by <c>maxNorm / (‖g‖ + 1e-6)</c> when ‖g‖ &gt; <paramref name="maxNorm"/>
    /// (PyTorch's clip_grad_norm_). Returns the factor applied (1 when nothing was clipped).</summary>
    public static double ClipByGlobalNorm(ParameterList parameters, double globalNorm, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "Must be positive.");
        if (!double.IsFinite(globalNorm) || globalNorm <= maxNorm)
        {
            return 1; // a non-finite norm cannot be fixed by scaling; skipping the update is the remedy
        }
        double scale = maxNorm / (globalNorm + 1e-6);
        foreach (Parameter p in parameters)
        {
            Span<float> g = p.Gradient.Span;
            TensorPrimitives.Multiply(g, (float)scale, g);
        }
        return scale;
    }

    /// <summary>Clips by the global norm the probes measured (√<see cref="GradientProbes.GlobalSquaredNorm"/>).</summary>
    public static double ClipByGlobalNorm(ParameterList parameters, GradientProbes probes, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(probes);
        return ClipByGlobalNorm(parameters, Math.Sqrt(probes.GlobalSquaredNorm()), maxNorm);
    }

    /// <summary>
    /// PyTorch's <c>clip_grad_norm_</c> without probes: measures the global L2 norm of every gradient in
    /// <paramref name="parameters"/> (one reading pass), scales them all by <c>maxNorm / (‖g‖ + 1e-6)</c> when it exceeds
    /// <paramref name="maxNorm"/>, and returns the norm measured before clipping (∞ or NaN when a gradient holds one, or
    /// when a tensor's squares overflow float, as in PyTorch on the CPU; then nothing is scaled). With probes, <see cref="ClipByGlobalNorm(ParameterList, GradientProbes, double)"/>
    /// reuses the norm they measured instead.
    /// </summary>
    public static double ClipGradNorm(ParameterList parameters, double maxNorm)
    {
        double total = GlobalNorm(parameters);
        ClipByGlobalNorm(parameters, total, maxNorm);
        return total;
    }

    /// <summary>The global L2 norm of every gradient in <paramref name="parameters"/>, as <see cref="ClipGradNorm"/> measures it.</summary>
    public static double GlobalNorm(ParameterList parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double squares = 0;
        foreach (Parameter p in parameters)
        {
            // Per tensor in float, summed in double across tensors, as PyTorch sums per-tensor norms: like PyTorch on the CPU,
            // a tensor whose squares overflow float (|g| ≳ 1.8e19) gives ∞ and clips nothing, and one of squares below
            // float's range (|g| ≲ 1e-23) gives 0.
            double norm = TensorPrimitives.Norm((ReadOnlySpan<float>)p.Gradient.Span);
            squares += norm * norm;
        }
        return Math.Sqrt(squares);
    }

    /// <summary>Clamps every gradient value to [-<paramref name="limit"/>, <paramref name="limit"/>].</summary>
    /// <returns>How many values were clamped (a NaN is left as it is and not counted).</returns>
    public static long ClipByValue(ParameterList parameters, double limit)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(limit > 0)) throw new ArgumentOutOfRangeException(nameof(limit), limit, "Must be positive.");
        float l = (float)limit;
        long clamped = 0;
        foreach (Parameter p in parameters)
        {
            Span<float> g = p.Gradient.Span;
            // Most steps clamp nothing: one vectorized pass finds that, and only a gradient with values past the
            // limit is counted value by value.
            // MaxMagnitude keeps the sign of the value it finds; a NaN compares false, so the rest is still clamped.
            if (g.IsEmpty || MathF.Abs(TensorPrimitives.MaxMagnitude(g)) <= l) continue;
            foreach (float v in g) clamped += Math.Abs(v) > l ? 1 : 0;
            TensorPrimitives.Min(g, l, g);
            TensorPrimitives.Max(g, -l, g);
        }
        return clamped;
    }
}
