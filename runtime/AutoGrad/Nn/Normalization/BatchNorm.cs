using System;
using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>
    /// Batch normalization with training statistics: each feature (column) is normalized over the batch (biased
    /// variance, ε = 1e-5), then <c>γ ⊙ x̂ + β</c>. The overload with a <see cref="BatchNormStatistics"/> also keeps
    /// running statistics, for <see cref="BatchNormInference"/>.
    /// </summary>
    /// <param name="x"><c>[batch, features]</c>.</param>
    /// <param name="gamma">Scale, <c>[features]</c>.</param>
    /// <param name="beta">Shift, <c>[features]</c>.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    /// <param name="gammaExpression">The argument passed as <paramref name="gamma"/>, as written (filled in by the compiler).</param>
    /// <param name="betaExpression">The argument passed as <paramref name="beta"/>, as written (filled in by the compiler).</param>
    [CustomPullback(nameof(BatchNormPullback), ForwardInto = nameof(BatchNormInto))]
    public static Tensor BatchNorm(Tensor x, Tensor gamma, Tensor beta,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "",
        [CallerArgumentExpression(nameof(gamma))] string gammaExpression = "",
        [CallerArgumentExpression(nameof(beta))] string betaExpression = "")
    {
        Tensor? result = null;
        NormalizationState? state = null;
        BatchNormInto(ref result, ref state, x, gamma, beta, OpSite.FromCaller(nameof(BatchNorm), file, line, xExpression, gammaExpression, betaExpression));
        return result!;
    }

    /// <summary>Writes the normalized x into <paramref name="result"/>; saves x̂, the batch means and 1/σ per feature.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void BatchNormInto(ref Tensor? result, ref NormalizationState? state, Tensor x, Tensor gamma, Tensor beta, OpSite site) =>
        BatchNormForward(ref result, ref state, x, gamma, beta, statistics: null, site);

    /// <summary>The training forward, updating <paramref name="statistics"/> when given.</summary>
    private static void BatchNormForward(
        ref Tensor? result, ref NormalizationState? state, Tensor x, Tensor gamma, Tensor beta, BatchNormStatistics? statistics, OpSite site)
    {
        CheckNormalization(x, gamma, beta, site, requireMatrix: true);
        int batch = x.Dim(0), width = x.Dim(1);
        if (statistics is not null) CheckStatistics(statistics, x, site, argument: 3, training: true);
        state ??= new NormalizationState();
        Tensor xhat = Tensor.EnsureLike(ref state.Normalized, x);
        Tensor mean = Tensor.EnsureShape(ref state.Mean, [width]);
        Tensor inverseStd = Tensor.EnsureShape(ref state.InverseStd, [width]);
        Tensor y = Tensor.EnsureLike(ref result, x);

        // The corrected two-pass mean: Σx / batch, then the mean of what is left, x − that, added to it. Σx / batch alone
        // is an ulp or so off a column of equal values, and that residue over σ = √ε made x̂ about ±0.3 where it is 0;
        // there the residues are exact, so the correction removes it. (Shifting by the first row instead cost accuracy
        // when that row was an outlier.)
        Span<float> shift = Scratch.Get(0, width);
        Reductions.ColumnSums(x.Span, batch, width, mean.Span, accumulate: false);
        TensorPrimitives.Multiply(mean.Span, 1f / batch, mean.Span);
        for (int b = 0; b < batch; b++)
        {
            TensorPrimitives.Subtract(x.Span.Slice(b * width, width), mean.Span, xhat.Span.Slice(b * width, width));
        }
        Reductions.ColumnSums(xhat.Span, batch, width, shift, accumulate: false);
        TensorPrimitives.Divide(shift, batch, shift); // divided, not times 1/batch (inexact), so batch·r / batch is r
        for (int b = 0; b < batch; b++)
        {
            Span<float> h = xhat.Span.Slice(b * width, width);
            TensorPrimitives.Subtract(h, shift, h);
        }
        TensorPrimitives.Add(mean.Span, shift, mean.Span);
        // inverseStd holds the biased variance until it is turned into 1/σ.
        Reductions.ColumnSums(xhat.Span, xhat.Span, batch, width, inverseStd.Span, accumulate: false);
        TensorPrimitives.Multiply(inverseStd.Span, 1f / batch, inverseStd.Span);
        // A finite column near float's largest values: its sum, deviations or squares overflowed float, and its variance
        // came out +∞ (1/σ of 0: every output β) or NaN (x − mean of ±∞). Such a column is normalized in double; its
        // x̂ is written here, and 'doubled' holds its 1/σ (0 for the other columns).
        Span<float> doubled = Scratch.Get(1, width);
        bool anyDoubled = false;
        for (int j = 0; j < width; j++)
        {
            doubled[j] = 0f;
            if (float.IsFinite(inverseStd.Span[j]) || !AllFinite(x.Span, j, width, batch)) continue;
            (double columnMean, double columnVariance) = NormalizeInDouble(x.Span, xhat.Span, j, width, batch);
            mean.Span[j] = (float)columnMean;
            // The running average takes float's largest value for a variance beyond it: +∞ would stay for good (0.9·∞).
            inverseStd.Span[j] = (float)Math.Min(columnVariance, float.MaxValue);
            doubled[j] = (float)(1 / Math.Sqrt(columnVariance + NormalizationEpsilon));
            anyDoubled = true;
        }
        statistics?.Update(mean.Span, inverseStd.Span, batch);
        TensorPrimitives.Add(inverseStd.Span, NormalizationEpsilon, inverseStd.Span);
        TensorPrimitives.ReciprocalSqrt(inverseStd.Span, inverseStd.Span);
        if (anyDoubled)
        {
            // Their x̂ is final: scaled by 1 below, then 1/σ goes into the state for the pullback.
            for (int j = 0; j < width; j++) if (doubled[j] > 0) inverseStd.Span[j] = 1f;
        }
        for (int b = 0; b < batch; b++)
        {
            Span<float> h = xhat.Span.Slice(b * width, width);
            TensorPrimitives.Multiply(h, inverseStd.Span, h);
            TensorPrimitives.FusedMultiplyAdd(h, gamma.Span, beta.Span, y.Span.Slice(b * width, width));
        }
        if (anyDoubled)
        {
            for (int j = 0; j < width; j++) if (doubled[j] > 0) inverseStd.Span[j] = doubled[j];
        }
    }

    /// <summary>
    /// dX (+)= γ·(1/σ)·(dResult − mean_b(dResult) − x̂·mean_b(dResult ⊙ x̂)) per feature; dGamma (+)= Σ_b dResult ⊙ x̂;
    /// dBeta (+)= Σ_b dResult.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void BatchNormPullback(
        Tensor x, Tensor gamma, Tensor beta, Tensor result, NormalizationState state, Tensor dResult,
        GradTarget dX, GradTarget dGamma, GradTarget dBeta, OpSite site)
    {
        Tensor xhat = CheckNormalizationPullback(x, gamma, beta, result, state, dResult, dX, dGamma, dBeta, site, requireMatrix: true);
        int batch = x.Dim(0), width = x.Dim(1);

        // Both parameter gradients are the column sums the input gradient needs, so compute them once.
        Span<float> sumDy = Scratch.Get(0, width), sumDyXhat = Scratch.Get(1, width);
        Reductions.ColumnSums(dResult.Span, batch, width, sumDy, accumulate: false);
        Reductions.ColumnSums(dResult.Span, xhat.Span, batch, width, sumDyXhat, accumulate: false);
        if (dGamma.IsActive)
        {
            Grad.Put(dGamma, sumDyXhat);
        }
        if (dBeta.IsActive)
        {
            Grad.Put(dBeta, sumDy);
        }
        if (!dX.IsActive)
        {
            return;
        }
        // Per feature: dx = k·(dy − a − x̂·c) with k = γ/σ, a = mean(dy), c = mean(dy ⊙ x̂) (kept negated).
        Span<float> k = Scratch.Get(2, width);
        TensorPrimitives.Multiply(gamma.Span, state.InverseStd!.Span, k);
        TensorPrimitives.Multiply(sumDy, 1f / batch, sumDy);
        TensorPrimitives.Multiply(sumDyXhat, -1f / batch, sumDyXhat);
        Span<float> row = Scratch.Get(3, width);
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> h = xhat.Span.Slice(b * width, width);
            TensorPrimitives.Subtract(dResult.Span.Slice(b * width, width), sumDy, row);
            TensorPrimitives.MultiplyAdd(h, sumDyXhat, row, row);
            Span<float> dst = dX.Tensor!.Span.Slice(b * width, width);
            if (dX.IsAccumulate)
            {
                TensorPrimitives.MultiplyAdd(row, k, dst, dst);
            }
            else
            {
                TensorPrimitives.Multiply(row, k, dst);
            }
        }
    }
}
