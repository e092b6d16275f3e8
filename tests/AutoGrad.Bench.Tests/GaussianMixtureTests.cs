using System;
using AutoGrad.Benchmarks.Objectives;
using Xunit;

namespace AutoGrad.Bench.Tests;

public sealed class GaussianMixtureTests
{
    private const int D = 3;
    private const int K = 4;
    private const int N = 10;

    [Fact]
    public void LogGammaOfHalfIntegersMatchesKnownValues()
    {
        Assert.Equal(0.5 * Math.Log(Math.PI), GaussianMixture.LogGammaOfHalfInteger(0.5), 14);
        Assert.Equal(0.0, GaussianMixture.LogGammaOfHalfInteger(1.0), 14);
        Assert.Equal(Math.Log(Math.Sqrt(Math.PI) / 2.0), GaussianMixture.LogGammaOfHalfInteger(1.5), 14);
        Assert.Equal(Math.Log(3.0 * Math.Sqrt(Math.PI) / 4.0), GaussianMixture.LogGammaOfHalfInteger(2.5), 14);
        Assert.Equal(Math.Log(24.0), GaussianMixture.LogGammaOfHalfInteger(5.0), 13);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.5)]
    [InlineData(0.3)]
    public void LogGammaRejectsArgumentsItCannotComputeExactly(double z) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => GaussianMixture.LogGammaOfHalfInteger(z));

    [Theory]
    [InlineData(1.0, 0)]
    [InlineData(1.3, 2)]
    public void ValueMatchesTheDenseMixtureDensityPlusPrior(double gamma, int m)
    {
        GaussianMixtureProblem p = GaussianMixtureProblem.Create(D, K, N, seed: 21);
        double expected = ReferenceLogLikelihood(p) + ReferencePrior(p, gamma, m);
        double actual = GaussianMixture.Objective(p.Alphas, p.Means, p.Icf, p.X, gamma, m, D, K, N);
        Assert.Equal(expected, actual, 10);
    }

    [Theory]
    [InlineData(1.0, 0)]
    [InlineData(1.3, 2)]
    public void HandWrittenGradientMatchesFiniteDifferences(double gamma, int m)
    {
        // Larger icf entries than the benchmark's, so that the off-diagonal terms weigh as much as the diagonal ones.
        var random = new Random(22);
        GaussianMixtureProblem p = GaussianMixtureProblem.Create(D, K, N, seed: 23) with
        {
            Icf = RandomData.Uniform(random, K * D * (D + 1) / 2, -0.6, 0.6),
        };
        double[] dAlphas = FiniteDifferences.Poisoned(K);
        double[] dMeans = FiniteDifferences.Poisoned(K * D);
        double[] dIcf = FiniteDifferences.Poisoned(p.Icf.Length);

        double value = GaussianMixture.ObjectiveGradientByHand(
            p.Alphas, p.Means, p.Icf, p.X, gamma, m, D, K, N, dAlphas, dMeans, dIcf);

        Assert.Equal(GaussianMixture.Objective(p.Alphas, p.Means, p.Icf, p.X, gamma, m, D, K, N), value, 10);
        FiniteDifferences.AssertClose(FiniteDifferences.Gradient(
            a => GaussianMixture.Objective(a, p.Means, p.Icf, p.X, gamma, m, D, K, N), p.Alphas), dAlphas, "dAlphas");
        FiniteDifferences.AssertClose(FiniteDifferences.Gradient(
            u => GaussianMixture.Objective(p.Alphas, u, p.Icf, p.X, gamma, m, D, K, N), p.Means), dMeans, "dMeans");
        FiniteDifferences.AssertClose(FiniteDifferences.Gradient(
            q => GaussianMixture.Objective(p.Alphas, p.Means, q, p.X, gamma, m, D, K, N), p.Icf), dIcf, "dIcf");
    }

    [Fact]
    public void BuffersOfTheWrongLengthAreRejected()
    {
        GaussianMixtureProblem p = GaussianMixtureProblem.Create(D, K, N, seed: 24);
        var error = Assert.Throws<ArgumentException>(() => GaussianMixture.ObjectiveGradientByHand(
            p.Alphas, p.Means, p.Icf, p.X, 1.0, 0, D, K, N, new double[K], new double[K * D], new double[1]));
        Assert.Equal("dIcf", error.ParamName);
    }

    /// <summary>
    /// Σᵢ log Σₖ wₖ 𝒩(xᵢ; μₖ, (QₖᵀQₖ)⁻¹) with w = softmax(α), computed the textbook way: a dense Qₖ, the density
    /// itself (not its log), no log-sum-exp.
    /// </summary>
    private static double ReferenceLogLikelihood(GaussianMixtureProblem p)
    {
        double weightSum = 0.0;
        for (int k = 0; k < K; k++)
        {
            weightSum += Math.Exp(p.Alphas[k]);
        }
        double total = 0.0;
        for (int i = 0; i < N; i++)
        {
            double mixture = 0.0;
            for (int k = 0; k < K; k++)
            {
                double[,] q = DenseQ(p.Icf, k);
                double determinant = q[0, 0] * q[1, 1] * q[2, 2];
                double quadratic = 0.0;
                for (int row = 0; row < D; row++)
                {
                    double entry = 0.0;
                    for (int col = 0; col < D; col++)
                    {
                        entry += q[row, col] * (p.X[i * D + col] - p.Means[k * D + col]);
                    }
                    quadratic += entry * entry;
                }
                double density = Math.Pow(2.0 * Math.PI, -D / 2.0) * determinant * Math.Exp(-0.5 * quadratic);
                mixture += Math.Exp(p.Alphas[k]) / weightSum * density;
            }
            total += Math.Log(mixture);
        }
        return total;
    }

    /// <summary>ADBench's Wishart term for d = 3, with the normaliser written out from known Γ values.</summary>
    private static double ReferencePrior(GaussianMixtureProblem p, double gamma, int m)
    {
        double logGamma3;
        if (m == 0)
        {
            // Γ₃(2) = π^1.5 · Γ(2) · Γ(1.5) · Γ(1)
            logGamma3 = 1.5 * Math.Log(Math.PI) + Math.Log(Math.Sqrt(Math.PI) / 2.0);
        }
        else
        {
            Assert.Equal(2, m);
            // Γ₃(3) = π^1.5 · Γ(3) · Γ(2.5) · Γ(2)
            logGamma3 = 1.5 * Math.Log(Math.PI) + Math.Log(2.0) + Math.Log(3.0 * Math.Sqrt(Math.PI) / 4.0);
        }
        int degrees = D + m + 1;
        double normalizer = degrees * D * (Math.Log(gamma) - 0.5 * Math.Log(2.0)) - logGamma3;
        double prior = 0.0;
        for (int k = 0; k < K; k++)
        {
            double[,] q = DenseQ(p.Icf, k);
            foreach (double entry in q)
            {
                prior += 0.5 * gamma * gamma * entry * entry;
            }
            prior -= m * Math.Log(q[0, 0] * q[1, 1] * q[2, 2]);
        }
        return prior - K * normalizer;
    }

    /// <summary>Qₖ: exp of the first d icf entries on the diagonal, the rest filling the lower triangle by columns.</summary>
    private static double[,] DenseQ(double[] icf, int k)
    {
        int offset = k * D * (D + 1) / 2;
        var q = new double[D, D];
        q[0, 0] = Math.Exp(icf[offset]);
        q[1, 1] = Math.Exp(icf[offset + 1]);
        q[2, 2] = Math.Exp(icf[offset + 2]);
        q[1, 0] = icf[offset + 3];
        q[2, 0] = icf[offset + 4];
        q[2, 1] = icf[offset + 5];
        return q;
    }
}
