using System;

namespace AutoGrad.Benchmarks.Objectives;

public static partial class GaussianMixture
{
    /// <summary>
    /// ADBench's per-component Wishart constant <c>C = n'·p·(log γ − ½ log 2) − log Γₚ(n'/2)</c> with
    /// <c>n' = p + m + 1</c>. It depends only on hyper-parameters, so it is a constant for differentiation.
    /// </summary>
    /// <param name="wishartGamma">γ, positive.</param>
    /// <param name="wishartM">m, non-negative.</param>
    /// <param name="p">The dimension d.</param>
    /// <returns>C.</returns>
    public static double WishartLogNormalizer(double wishartGamma, int wishartM, int p)
    {
        int degrees = p + wishartM + 1;
        return degrees * p * (Math.Log(wishartGamma) - 0.5 * Math.Log(2.0))
            - LogMultivariateGamma(0.5 * degrees, p);
    }

    /// <summary>
    /// The log of the multivariate gamma function, <c>log Γₚ(a) = ¼p(p − 1) log π + Σⱼ₌₁..ₚ log Γ(a + (1 − j)/2)</c>.
    /// </summary>
    /// <param name="a">A positive multiple of ½ with <c>a − (p − 1)/2 ≥ ½</c> (as every Wishart use has).</param>
    /// <param name="p">The dimension.</param>
    /// <returns><c>log Γₚ(a)</c>.</returns>
    public static double LogMultivariateGamma(double a, int p)
    {
        double result = 0.25 * p * (p - 1) * Math.Log(Math.PI);
        for (int j = 1; j <= p; j++)
        {
            result += LogGammaOfHalfInteger(a + 0.5 * (1 - j));
        }
        return result;
    }

    /// <summary>
    /// <c>log Γ(z)</c> for z a positive multiple of ½, exactly by the recurrence Γ(z + 1) = z·Γ(z) from
    /// Γ(1) = 1 or Γ(½) = √π. .NET has no log-gamma, and the Wishart constant only ever needs these arguments.
    /// </summary>
    /// <param name="z">A positive multiple of ½.</param>
    /// <returns><c>log Γ(z)</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">z is not a positive multiple of ½.</exception>
    public static double LogGammaOfHalfInteger(double z)
    {
        double twice = 2.0 * z;
        if (!(z > 0.0) || twice != Math.Floor(twice) || twice > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(z), z, "Only positive multiples of 1/2 are supported.");
        }
        bool half = ((int)twice & 1) == 1;
        double result = half ? 0.5 * Math.Log(Math.PI) : 0.0;
        for (double factor = half ? 0.5 : 1.0; factor < z; factor += 1.0)
        {
            result += Math.Log(factor);
        }
        return result;
    }
}
