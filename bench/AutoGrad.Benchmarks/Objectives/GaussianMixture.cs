using System;

namespace AutoGrad.Benchmarks.Objectives;

/// <summary>
/// The ADBench / gradbench Gaussian-mixture objective: the log-likelihood of n points under a k-component mixture
/// plus a Wishart prior on the inverse covariances, in ADBench's parametrisation.
/// </summary>
/// <remarks>
/// <para>Layouts (row-major, as in ADBench): <c>alphas[k]</c> are unnormalised log mixture weights; <c>means[k·d]</c>;
/// <c>icf[k·d(d+1)/2]</c> holds, for each component, first the d logarithms of the diagonal of the inverse
/// Cholesky factor Q, then its strictly lower triangle column by column; <c>x[n·d]</c> are the points.</para>
/// <para>Value: <c>−(nd/2) log 2π + Σᵢ logsumexpₖ(αₖ + Σ qₖ − ½‖Qₖ(xᵢ − μₖ)‖²) − n·logsumexp(α)
/// + Σₖ (½γ²‖Qₖ‖²_F − m Σ qₖ) − k·C(γ, m, d)</c>, where C is the Wishart normaliser of
/// <see cref="WishartLogNormalizer"/>. The benchmark uses γ = 1, m = 0.</para>
/// </remarks>
public static partial class GaussianMixture
{
    /// <summary>The primal, written in the scalar subset the generator differentiates.</summary>
    /// <param name="alphas">Unnormalised log weights, length k.</param>
    /// <param name="means">Component means, k·d.</param>
    /// <param name="icf">Inverse covariance factors, k·d(d+1)/2 (see the type's remarks).</param>
    /// <param name="x">The data points, n·d.</param>
    /// <param name="wishartGamma">The Wishart prior's γ.</param>
    /// <param name="wishartM">The Wishart prior's m (extra degrees of freedom).</param>
    /// <param name="d">The dimension.</param>
    /// <param name="k">The number of components.</param>
    /// <param name="n">The number of points.</param>
    /// <returns>The objective's value.</returns>
    [Differentiable]
    public static double Objective(
        ReadOnlySpan<double> alphas,
        ReadOnlySpan<double> means,
        ReadOnlySpan<double> icf,
        [NoGrad] ReadOnlySpan<double> x,
        [NoGrad] double wishartGamma,
        int wishartM,
        int d,
        int k,
        int n)
    {
        int icfSize = d * (d + 1) / 2;
        double[] qDiagonals = new double[k * d];
        double[] sumQs = new double[k];
        double[] centered = new double[d];
        double[] transformed = new double[d];
        double[] mainTerms = new double[k];

        for (int ik = 0; ik < k; ik++)
        {
            sumQs[ik] = 0.0;
            for (int id = 0; id < d; id++)
            {
                double q = icf[ik * icfSize + id];
                sumQs[ik] += q;
                qDiagonals[ik * d + id] = Math.Exp(q);
            }
        }

        double sumOfLogSumExps = 0.0;
        for (int ix = 0; ix < n; ix++)
        {
            for (int ik = 0; ik < k; ik++)
            {
                for (int id = 0; id < d; id++)
                {
                    centered[id] = x[ix * d + id] - means[ik * d + id];
                    transformed[id] = qDiagonals[ik * d + id] * centered[id];
                }
                // Q·(x − μ): the strictly lower triangle is stored column by column after the diagonal.
                int lower = ik * icfSize + d;
                for (int i = 0; i < d; i++)
                {
                    for (int j = i + 1; j < d; j++)
                    {
                        transformed[j] += icf[lower] * centered[i];
                        lower++;
                    }
                }
                double squaredNorm = 0.0;
                for (int id = 0; id < d; id++)
                {
                    squaredNorm += transformed[id] * transformed[id];
                }
                mainTerms[ik] = alphas[ik] + sumQs[ik] - 0.5 * squaredNorm;
            }
            double termMax = mainTerms[0];
            for (int ik = 1; ik < k; ik++)
            {
                if (mainTerms[ik] > termMax)
                {
                    termMax = mainTerms[ik];
                }
            }
            double termSum = 0.0;
            for (int ik = 0; ik < k; ik++)
            {
                termSum += Math.Exp(mainTerms[ik] - termMax);
            }
            sumOfLogSumExps += Math.Log(termSum) + termMax;
        }

        double alphaMax = alphas[0];
        for (int ik = 1; ik < k; ik++)
        {
            if (alphas[ik] > alphaMax)
            {
                alphaMax = alphas[ik];
            }
        }
        double alphaSum = 0.0;
        for (int ik = 0; ik < k; ik++)
        {
            alphaSum += Math.Exp(alphas[ik] - alphaMax);
        }
        double logSumExpAlphas = Math.Log(alphaSum) + alphaMax;

        double prior = 0.0;
        for (int ik = 0; ik < k; ik++)
        {
            double frobenius = 0.0;
            for (int id = 0; id < d; id++)
            {
                frobenius += qDiagonals[ik * d + id] * qDiagonals[ik * d + id];
            }
            for (int il = d; il < icfSize; il++)
            {
                frobenius += icf[ik * icfSize + il] * icf[ik * icfSize + il];
            }
            prior += 0.5 * wishartGamma * wishartGamma * frobenius - wishartM * sumQs[ik];
        }

        double constant = -n * d * 0.5 * Math.Log(2.0 * Math.PI);
        return constant + sumOfLogSumExps - n * logSumExpAlphas
            + prior - k * WishartLogNormalizer(wishartGamma, wishartM, d);
    }
}
