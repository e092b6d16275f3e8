using System;

namespace AutoGrad.Benchmarks.Objectives;

/// <summary>A Gaussian-mixture input of a given size, in the layouts <see cref="GaussianMixture"/> expects.</summary>
/// <param name="D">The dimension.</param>
/// <param name="K">The number of components.</param>
/// <param name="N">The number of points.</param>
/// <param name="Alphas">Unnormalised log weights, K.</param>
/// <param name="Means">Means, K·D.</param>
/// <param name="Icf">Inverse covariance factors, K·D(D+1)/2.</param>
/// <param name="X">Points, N·D.</param>
public sealed record GaussianMixtureProblem(int D, int K, int N, double[] Alphas, double[] Means, double[] Icf, double[] X)
{
    /// <summary>The prior's γ in ADBench's runs.</summary>
    public const double WishartGamma = 1.0;

    /// <summary>The prior's m in ADBench's runs.</summary>
    public const int WishartM = 0;

    /// <summary>
    /// Random data: log weights in [−1, 1), means and points in [0, 1), and icf entries in [−0.1, 0.1), small so that
    /// the components overlap and every one keeps a non-negligible responsibility (and so a non-trivial gradient).
    /// </summary>
    /// <param name="d">The dimension.</param>
    /// <param name="k">The number of components.</param>
    /// <param name="n">The number of points.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>The problem.</returns>
    public static GaussianMixtureProblem Create(int d, int k, int n, int seed)
    {
        var random = new Random(seed);
        return new GaussianMixtureProblem(
            d, k, n,
            RandomData.Uniform(random, k, -1.0, 1.0),
            RandomData.Uniform(random, k * d, 0.0, 1.0),
            RandomData.Uniform(random, k * d * (d + 1) / 2, -0.1, 0.1),
            RandomData.Uniform(random, n * d, 0.0, 1.0));
    }

    /// <summary>The size as it appears in benchmark row names, e.g. <c>d10_k25_n1000</c>.</summary>
    /// <returns>The size label.</returns>
    public override string ToString() => $"d{D}_k{K}_n{N}";
}
