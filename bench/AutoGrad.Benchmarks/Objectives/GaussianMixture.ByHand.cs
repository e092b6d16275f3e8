using System;
using System.Buffers;
using AutoGrad.Internal;

namespace AutoGrad.Benchmarks.Objectives;

public static partial class GaussianMixture
{
    /// <summary>
    /// The hand-written gradient of <see cref="Objective"/>, as a careful engineer writes it: per point, one forward
    /// sweep over the components keeps <c>xᵢ − μₖ</c> and <c>Qₖ(xᵢ − μₖ)</c>, then one backward sweep weights each
    /// component by its responsibility (the softmax of the main terms). Terms that do not depend on the point
    /// (the Σ q part of the main term, the prior, the weight normaliser) are added once at the end. Scratch memory is
    /// pooled, so a call allocates nothing in steady state.
    /// </summary>
    /// <param name="alphas">Unnormalised log weights, length k.</param>
    /// <param name="means">Component means, k·d.</param>
    /// <param name="icf">Inverse covariance factors, k·d(d+1)/2.</param>
    /// <param name="x">The data points, n·d.</param>
    /// <param name="wishartGamma">The Wishart prior's γ.</param>
    /// <param name="wishartM">The Wishart prior's m.</param>
    /// <param name="d">The dimension.</param>
    /// <param name="k">The number of components.</param>
    /// <param name="n">The number of points.</param>
    /// <param name="dAlphas">Receives ∂f/∂alphas (overwritten).</param>
    /// <param name="dMeans">Receives ∂f/∂means (overwritten).</param>
    /// <param name="dIcf">Receives ∂f/∂icf (overwritten).</param>
    /// <returns>The objective's value, as <see cref="Objective"/> computes it.</returns>
    public static double ObjectiveGradientByHand(
        ReadOnlySpan<double> alphas,
        ReadOnlySpan<double> means,
        ReadOnlySpan<double> icf,
        ReadOnlySpan<double> x,
        double wishartGamma,
        int wishartM,
        int d,
        int k,
        int n,
        Span<double> dAlphas,
        Span<double> dMeans,
        Span<double> dIcf)
    {
        int icfSize = d * (d + 1) / 2;
        GradientArguments.CheckLength(alphas.Length, k, nameof(alphas), nameof(k));
        GradientArguments.CheckLength(means.Length, k * d, nameof(means), "k·d");
        GradientArguments.CheckLength(icf.Length, k * icfSize, nameof(icf), "k·d(d+1)/2");
        GradientArguments.CheckLength(x.Length, n * d, nameof(x), "n·d");
        GradientArguments.CheckLength(dAlphas.Length, alphas.Length, nameof(dAlphas), nameof(alphas));
        GradientArguments.CheckLength(dMeans.Length, means.Length, nameof(dMeans), nameof(means));
        GradientArguments.CheckLength(dIcf.Length, icf.Length, nameof(dIcf), nameof(icf));

        int scratchLength = 3 * k * d + 3 * k;
        double[] rented = ArrayPool<double>.Shared.Rent(scratchLength);
        try
        {
            Span<double> scratch = rented.AsSpan(0, scratchLength);
            Span<double> qDiagonals = scratch.Slice(0, k * d);
            Span<double> centered = scratch.Slice(k * d, k * d);
            Span<double> transformed = scratch.Slice(2 * k * d, k * d);
            Span<double> sumQs = scratch.Slice(3 * k * d, k);
            Span<double> mainTerms = scratch.Slice(3 * k * d + k, k);
            Span<double> responsibilityTotals = scratch.Slice(3 * k * d + 2 * k, k);

            dAlphas.Clear();
            dMeans.Clear();
            dIcf.Clear();
            responsibilityTotals.Clear();
            for (int ik = 0; ik < k; ik++)
            {
                double sum = 0.0;
                for (int id = 0; id < d; id++)
                {
                    double q = icf[ik * icfSize + id];
                    sum += q;
                    qDiagonals[ik * d + id] = Math.Exp(q);
                }
                sumQs[ik] = sum;
            }

            double sumOfLogSumExps = 0.0;
            for (int ix = 0; ix < n; ix++)
            {
                ReadOnlySpan<double> point = x.Slice(ix * d, d);
                double termMax = double.NegativeInfinity;
                for (int ik = 0; ik < k; ik++)
                {
                    double term = alphas[ik] + sumQs[ik] - 0.5 * Transform(
                        point, means.Slice(ik * d, d), qDiagonals.Slice(ik * d, d), icf.Slice(ik * icfSize + d, icfSize - d),
                        centered.Slice(ik * d, d), transformed.Slice(ik * d, d));
                    mainTerms[ik] = term;
                    termMax = Math.Max(termMax, term);
                }
                double termSum = 0.0;
                for (int ik = 0; ik < k; ik++)
                {
                    termSum += Math.Exp(mainTerms[ik] - termMax);
                }
                double logSumExp = Math.Log(termSum) + termMax;
                sumOfLogSumExps += logSumExp;

                for (int ik = 0; ik < k; ik++)
                {
                    double responsibility = Math.Exp(mainTerms[ik] - logSumExp);
                    responsibilityTotals[ik] += responsibility;
                    // The main term holds −½‖Qc‖², so the adjoint of Qc is −responsibility·Qc.
                    TransformBackward(
                        -responsibility, qDiagonals.Slice(ik * d, d), icf.Slice(ik * icfSize + d, icfSize - d),
                        centered.Slice(ik * d, d), transformed.Slice(ik * d, d),
                        dMeans.Slice(ik * d, d), dIcf.Slice(ik * icfSize, icfSize));
                }
            }

            double alphaMax = double.NegativeInfinity;
            for (int ik = 0; ik < k; ik++)
            {
                alphaMax = Math.Max(alphaMax, alphas[ik]);
            }
            double alphaSum = 0.0;
            for (int ik = 0; ik < k; ik++)
            {
                alphaSum += Math.Exp(alphas[ik] - alphaMax);
            }
            double logSumExpAlphas = Math.Log(alphaSum) + alphaMax;

            double gammaSquared = wishartGamma * wishartGamma;
            double prior = 0.0;
            for (int ik = 0; ik < k; ik++)
            {
                // Σ q enters every point's main term with the component's responsibility, and the prior with −m.
                dAlphas[ik] = responsibilityTotals[ik] - n * Math.Exp(alphas[ik] - logSumExpAlphas);
                double frobenius = 0.0;
                for (int id = 0; id < d; id++)
                {
                    double qDiagonal = qDiagonals[ik * d + id];
                    frobenius += qDiagonal * qDiagonal;
                    dIcf[ik * icfSize + id] += responsibilityTotals[ik] + gammaSquared * qDiagonal * qDiagonal - wishartM;
                }
                for (int il = d; il < icfSize; il++)
                {
                    double entry = icf[ik * icfSize + il];
                    frobenius += entry * entry;
                    dIcf[ik * icfSize + il] += gammaSquared * entry;
                }
                prior += 0.5 * gammaSquared * frobenius - wishartM * sumQs[ik];
            }

            double constant = -n * d * 0.5 * Math.Log(2.0 * Math.PI);
            return constant + sumOfLogSumExps - n * logSumExpAlphas
                + prior - k * WishartLogNormalizer(wishartGamma, wishartM, d);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>Writes <c>c = x − μ</c> and <c>Qc</c>, and returns <c>‖Qc‖²</c>.</summary>
    private static double Transform(
        ReadOnlySpan<double> point,
        ReadOnlySpan<double> mean,
        ReadOnlySpan<double> qDiagonal,
        ReadOnlySpan<double> lower,
        Span<double> centered,
        Span<double> transformed)
    {
        int d = point.Length;
        for (int id = 0; id < d; id++)
        {
            double c = point[id] - mean[id];
            centered[id] = c;
            transformed[id] = qDiagonal[id] * c;
        }
        int li = 0;
        for (int i = 0; i < d; i++)
        {
            double ci = centered[i];
            for (int j = i + 1; j < d; j++)
            {
                transformed[j] += lower[li++] * ci;
            }
        }
        double squaredNorm = 0.0;
        for (int id = 0; id < d; id++)
        {
            squaredNorm += transformed[id] * transformed[id];
        }
        return squaredNorm;
    }

    /// <summary>
    /// Back-propagates an adjoint <c>scale·Qc</c> of <c>Qc</c> into the mean (through <c>c = x − μ</c>) and into the
    /// component's icf block (log-diagonal and lower triangle). Column i of Q produces both <c>∂c_i</c> and the
    /// gradients of its own entries, so one pass over the triangle does both. <paramref name="transformed"/> is
    /// scaled in place into the adjoint: Qc is not needed afterwards, and this saves a multiply per triangle entry.
    /// </summary>
    private static void TransformBackward(
        double scale,
        ReadOnlySpan<double> qDiagonal,
        ReadOnlySpan<double> lower,
        ReadOnlySpan<double> centered,
        Span<double> transformed,
        Span<double> dMean,
        Span<double> dIcfBlock)
    {
        int d = centered.Length;
        for (int id = 0; id < d; id++)
        {
            transformed[id] *= scale;
        }
        ReadOnlySpan<double> adjoint = transformed;
        int li = 0;
        for (int i = 0; i < d; i++)
        {
            double ci = centered[i];
            dIcfBlock[i] += adjoint[i] * qDiagonal[i] * ci;
            double dCentered = qDiagonal[i] * adjoint[i];
            for (int j = i + 1; j < d; j++)
            {
                dCentered += lower[li] * adjoint[j];
                dIcfBlock[d + li] += adjoint[j] * ci;
                li++;
            }
            dMean[i] -= dCentered;
        }
    }
}
