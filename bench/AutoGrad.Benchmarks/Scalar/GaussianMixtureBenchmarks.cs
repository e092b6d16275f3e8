using System.Collections.Generic;
using AutoGrad.Benchmarks.Objectives;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.Scalar;

/// <summary>
/// The ADBench Gaussian-mixture objective at d = 10, k = 25 and d = 64, k = 100 (n = 1000 points each, γ = 1, m = 0):
/// primal against the hand-written gradient.
/// </summary>
[MemoryDiagnoser]
public class GaussianMixtureBenchmarks
{
    private const string Row = "gmm";
    private double[] _dAlphas = [];
    private double[] _dMeans = [];
    private double[] _dIcf = [];

    /// <summary>The sizes: ADBench's d = 10, k = 25 and d = 64, k = 100, both with n = 1000.</summary>
    public static IEnumerable<GaussianMixtureProblem> Sizes =>
    [
        GaussianMixtureProblem.Create(10, 25, 1000, seed: 3),
        GaussianMixtureProblem.Create(64, 100, 1000, seed: 4),
    ];

    /// <summary>The problem being measured; its <c>ToString</c> completes the row name.</summary>
    [ParamsSource(nameof(Sizes))]
    public GaussianMixtureProblem Problem { get; set; } = GaussianMixtureProblem.Create(1, 1, 1, seed: 0);

    /// <summary>Allocates the gradient buffers once, outside the measurement.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _dAlphas = new double[Problem.Alphas.Length];
        _dMeans = new double[Problem.Means.Length];
        _dIcf = new double[Problem.Icf.Length];
    }

    /// <summary>The primal.</summary>
    /// <returns>The value, so the call is not eliminated.</returns>
    [Benchmark(Description = Row + BenchmarkRows.Primal)]
    public double Primal()
    {
        GaussianMixtureProblem p = Problem;
        return GaussianMixture.Objective(p.Alphas, p.Means, p.Icf, p.X, GaussianMixtureProblem.WishartGamma,
            GaussianMixtureProblem.WishartM, p.D, p.K, p.N);
    }

    /// <summary>The hand-written gradient.</summary>
    /// <returns>The value.</returns>
    [Benchmark(Description = Row + BenchmarkRows.HandWritten)]
    public double HandWritten()
    {
        GaussianMixtureProblem p = Problem;
        return GaussianMixture.ObjectiveGradientByHand(p.Alphas, p.Means, p.Icf, p.X,
            GaussianMixtureProblem.WishartGamma, GaussianMixtureProblem.WishartM, p.D, p.K, p.N,
            _dAlphas, _dMeans, _dIcf);
    }

    /// <summary>The gradient generated from <see cref="GaussianMixture.Objective"/>.</summary>
    /// <returns>The value.</returns>
    [Benchmark(Description = Row + BenchmarkRows.Generated)]
    public double Generated()
    {
        GaussianMixtureProblem p = Problem;
        return GaussianMixture.ObjectiveGradient(p.Alphas, p.Means, p.Icf, p.X, GaussianMixtureProblem.WishartGamma,
            GaussianMixtureProblem.WishartM, p.D, p.K, p.N, _dAlphas, _dMeans, _dIcf);
    }
}
