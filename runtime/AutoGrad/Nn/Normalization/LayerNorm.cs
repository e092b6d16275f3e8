using System;
using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>The epsilon added to the variance by <see cref="LayerNorm"/> and <see cref="BatchNorm(Tensor, Tensor, Tensor, string, int, string, string, string)"/> (PyTorch's default).</summary>
    public const float NormalizationEpsilon = 1e-5f;

    /// <summary>
    /// Layer normalization over the last axis: each row is shifted to mean 0 and scaled to variance 1 (biased
    /// variance, ε = 1e-5), then <c>γ ⊙ x̂ + β</c>.
    /// </summary>
    /// <param name="x"><c>[.., features]</c>.</param>
    /// <param name="gamma">Scale, <c>[features]</c>.</param>
    /// <param name="beta">Shift, <c>[features]</c>.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    /// <param name="gammaExpression">The argument passed as <paramref name="gamma"/>, as written (filled in by the compiler).</param>
    /// <param name="betaExpression">The argument passed as <paramref name="beta"/>, as written (filled in by the compiler).</param>
    [CustomPullback(nameof(LayerNormPullback), ForwardInto = nameof(LayerNormInto))]
    public static Tensor LayerNorm(Tensor x, Tensor gamma, Tensor beta,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "",
        [CallerArgumentExpression(nameof(gamma))] string gammaExpression = "",
        [CallerArgumentExpression(nameof(beta))] string betaExpression = "")
    {
        Tensor? result = null;
        NormalizationState? state = null;
        LayerNormInto(ref result, ref state, x, gamma, beta, OpSite.FromCaller(nameof(LayerNorm), file, line, xExpression, gammaExpression, betaExpression));
        return result!;
    }

    /// <summary>Writes the normalized x into <paramref name="result"/>; saves x̂ and 1/σ per row.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void LayerNormInto(ref Tensor? result, ref NormalizationState? state, Tensor x, Tensor gamma, Tensor beta, OpSite site)
    {
        CheckNormalization(x, gamma, beta, site, requireMatrix: false);
        int width = x.Dim(-1), rows = OpChecks.Rows(x);
        state ??= new NormalizationState();
        Tensor xhat = Tensor.EnsureLike(ref state.Normalized, x);
        Tensor inverseStd = Tensor.EnsureShape(ref state.InverseStd, [Math.Max(rows, 1)]);
        Tensor y = Tensor.EnsureLike(ref result, x);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = x.Span.Slice(r * width, width);
            Span<float> h = xhat.Span.Slice(r * width, width);
            // The corrected two-pass mean: Σx / width, then the mean of what is left subtracted too. Σx / width alone is
            // an ulp or so off a row of equal values, and that residue over σ = √ε made x̂ about ±0.3 where it is 0; the
            // residues are exact, so the correction removes it (shifting by the row's first value instead cost accuracy
            // when that value was an outlier).
            TensorPrimitives.Subtract(row, Mean(row), h);
            TensorPrimitives.Subtract(h, Mean(h), h);
            float sumOfSquares = TensorPrimitives.SumOfSquares(h);
            float rstd;
            if (!float.IsFinite(sumOfSquares) && AllFinite(row))
            {
                // A finite row near float's largest values: its deviations or their squares overflow float.
                rstd = NormalizeInDouble(row, h);
            }
            else
            {
                rstd = 1f / MathF.Sqrt(sumOfSquares / width + NormalizationEpsilon); // a row holding ±∞ or NaN gives NaN
                TensorPrimitives.Multiply(h, rstd, h);
            }
            inverseStd.Span[r] = rstd;
            TensorPrimitives.FusedMultiplyAdd(h, gamma.Span, beta.Span, y.Span.Slice(r * width, width));
        }
    }

    /// <summary>Σx / n, summed again in double when the float sum overflows (values near float's largest: a row of
    /// 3e38 and −3e38 summed to +∞ and normalized to NaN).</summary>
    private static float Mean(ReadOnlySpan<float> row)
    {
        float sum = TensorPrimitives.Sum(row);
        if (float.IsFinite(sum) || row.Length == 0) return sum / row.Length;
        double total = 0;
        foreach (float v in row) total += v;
        return (float)(total / row.Length); // ±∞ or NaN only when the row holds one
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) return false;
        }
        return true;
    }

    /// <summary>
    /// Writes x̂ of a finite row whose deviations or squares overflow float (a spread of about 1.8e19 or more, values
    /// near float's largest) computed in double, and returns 1/σ: in float, Σh² of +∞ made 1/σ 0 and every output β,
    /// and x − mean of ±∞ made it NaN.
    /// </summary>
    private static float NormalizeInDouble(ReadOnlySpan<float> row, Span<float> xhat)
    {
        double mean = 0;
        foreach (float v in row) mean += v;
        mean /= row.Length;
        double variance = 0;
        foreach (float v in row) variance += (v - mean) * (v - mean);
        double sigma = Math.Sqrt(variance / row.Length + NormalizationEpsilon);
        for (int i = 0; i < row.Length; i++) xhat[i] = (float)((row[i] - mean) / sigma);
        return (float)(1 / sigma);
    }

    /// <summary>
    /// dX (+)= (1/σ)·(g − mean(g) − x̂·mean(g ⊙ x̂)) per row with g = dResult ⊙ γ; dGamma (+)= Σ_rows dResult ⊙ x̂;
    /// dBeta (+)= Σ_rows dResult.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void LayerNormPullback(
        Tensor x, Tensor gamma, Tensor beta, Tensor result, NormalizationState state, Tensor dResult,
        GradTarget dX, GradTarget dGamma, GradTarget dBeta, OpSite site)
    {
        Tensor xhat = CheckNormalizationPullback(x, gamma, beta, result, state, dResult, dX, dGamma, dBeta, site, requireMatrix: false);
        int width = x.Dim(-1), rows = OpChecks.Rows(x);
        AffineGradients(dResult, xhat, rows, width, dGamma, dBeta);
        if (!dX.IsActive)
        {
            return;
        }
        Span<float> g = Scratch.Get(0, width);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> h = xhat.Span.Slice(r * width, width);
            TensorPrimitives.Multiply(dResult.Span.Slice(r * width, width), gamma.Span, g);
            float meanG = TensorPrimitives.Sum(g) / width;
            float meanGh = TensorPrimitives.Dot(g, h) / width;
            float rstd = state.InverseStd!.Span[r];
            Elementwise.Map(new NormalizedInputGradient(meanG, meanGh, rstd), g, h, dX.Tensor!.Span.Slice(r * width, width), dX.IsAccumulate);
        }
    }
}
