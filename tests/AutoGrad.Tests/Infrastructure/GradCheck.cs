using System;
using Xunit;

namespace AutoGrad.Tests.Infrastructure;

/// <summary>
/// Compares generated gradients with central finite differences of the primal. Tolerances are relative to the
/// gradient's scale and tight enough that a wrong sign, a missing term or a factor of two fails.
/// </summary>
internal static class GradCheck
{
    /// <summary>Checks a double-precision function of a flat parameter vector.</summary>
    /// <param name="primal">f(θ).</param>
    /// <param name="gradient">The generated gradient: (value, ∂f/∂θ).</param>
    /// <param name="theta">Where to check.</param>
    /// <param name="relativeTolerance">Allowed error relative to max(1, |∂f/∂θᵢ|).</param>
    public static void Double(Func<double[], double> primal, Func<double[], (double Value, double[] Gradient)> gradient,
        double[] theta, double relativeTolerance = 1e-6)
    {
        (double value, double[] grad) = gradient((double[])theta.Clone());
        double expectedValue = primal((double[])theta.Clone());
        Assert.Equal(expectedValue, value, 12);
        Assert.Equal(theta.Length, grad.Length);
        for (int i = 0; i < theta.Length; i++)
        {
            double h = 1e-6 * Math.Max(1, Math.Abs(theta[i]));
            double[] plus = (double[])theta.Clone();
            double[] minus = (double[])theta.Clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (primal(plus) - primal(minus)) / (2 * h);
            double scale = Math.Max(1, Math.Abs(numeric));
            Assert.True(Math.Abs(grad[i] - numeric) <= relativeTolerance * scale,
                $"∂f/∂θ[{i}]: generated {grad[i]:R}, finite difference {numeric:R} (θ = [{string.Join(", ", theta)}])");
        }
    }

    /// <summary>Checks a single-precision function; differences are taken in float with a larger step.</summary>
    public static void Float(Func<float[], float> primal, Func<float[], (float Value, float[] Gradient)> gradient,
        float[] theta, double relativeTolerance = 3e-3)
    {
        (float value, float[] grad) = gradient((float[])theta.Clone());
        Assert.Equal(primal((float[])theta.Clone()), value, 5);
        for (int i = 0; i < theta.Length; i++)
        {
            float h = 1e-2f * Math.Max(1f, Math.Abs(theta[i]));
            float[] plus = (float[])theta.Clone();
            float[] minus = (float[])theta.Clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = ((double)primal(plus) - primal(minus)) / (plus[i] - minus[i]);
            double scale = Math.Max(1, Math.Abs(numeric));
            Assert.True(Math.Abs(grad[i] - numeric) <= relativeTolerance * scale,
                $"∂f/∂θ[{i}]: generated {grad[i]:R}, finite difference {numeric:R}");
        }
    }

    /// <summary>
    /// Central differences of <paramref name="loss"/> against <paramref name="gradients"/>, perturbing every
    /// <paramref name="stride"/>-th element of each tensor in <paramref name="parameters"/> in place (and restoring it).
    /// </summary>
    public static void Tensors(Tensor[] parameters, Tensor[] gradients, Func<double> loss, int stride = 1,
        float step = 1e-2f, double absolute = 1e-3, double relative = 2e-2)
    {
        for (int p = 0; p < parameters.Length; p++)
        {
            for (int i = 0; i < parameters[p].Length; i += stride)
            {
                float saved = parameters[p][i];
                parameters[p][i] = saved + step;
                double plus = loss();
                parameters[p][i] = saved - step;
                double minus = loss();
                parameters[p][i] = saved;
                double numeric = (plus - minus) / (2 * step);
                Assert.True(Math.Abs(numeric - gradients[p][i]) <= absolute + relative * Math.Abs(numeric),
                    $"parameter {p}[{i}]: generated {gradients[p][i]}, finite difference {numeric}");
            }
        }
    }

    /// <summary>Deterministic pseudo-random values in [lo, hi).</summary>
    public static double[] Random(int n, int seed, double lo = -1, double hi = 1)
    {
        var rng = new Random(seed);
        var v = new double[n];
        for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * rng.NextDouble();
        return v;
    }

    public static float[] RandomFloat(int n, int seed, float lo = -1, float hi = 1)
    {
        double[] d = Random(n, seed, lo, hi);
        var f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float)d[i];
        return f;
    }

    public static double[] Concat(params double[][] parts)
    {
        int n = 0;
        foreach (double[] p in parts) n += p.Length;
        var all = new double[n];
        int k = 0;
        foreach (double[] p in parts)
        {
            p.CopyTo(all, k);
            k += p.Length;
        }
        return all;
    }
}
