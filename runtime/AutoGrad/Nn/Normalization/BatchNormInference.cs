using System;
using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>
    /// Batch normalization for inference: each feature is normalized with the running mean and variance in
    /// <paramref name="statistics"/> (ε = 1e-5), then <c>γ ⊙ x̂ + β</c> (PyTorch's <c>BatchNorm1d</c> in eval mode). Rows
    /// do not affect each other, and nothing is updated. Differentiable in x, γ and β (fine-tuning with frozen
    /// statistics).
    /// </summary>
    /// <param name="x"><c>[.., features]</c>.</param>
    /// <param name="gamma">Scale, <c>[features]</c>.</param>
    /// <param name="beta">Shift, <c>[features]</c>.</param>
    /// <param name="statistics">The running statistics a training with <see cref="BatchNorm(Tensor, Tensor, Tensor, BatchNormStatistics, string, int, string, string, string, string)"/> kept.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    /// <param name="gammaExpression">The argument passed as <paramref name="gamma"/>, as written (filled in by the compiler).</param>
    /// <param name="betaExpression">The argument passed as <paramref name="beta"/>, as written (filled in by the compiler).</param>
    /// <param name="statisticsExpression">The argument passed as <paramref name="statistics"/>, as written (filled in by the compiler).</param>
    [CustomPullback(nameof(BatchNormInferencePullback), ForwardInto = nameof(BatchNormInferenceInto))]
    public static Tensor BatchNormInference(Tensor x, Tensor gamma, Tensor beta, BatchNormStatistics statistics,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "",
        [CallerArgumentExpression(nameof(gamma))] string gammaExpression = "",
        [CallerArgumentExpression(nameof(beta))] string betaExpression = "",
        [CallerArgumentExpression(nameof(statistics))] string statisticsExpression = "")
    {
        Tensor? result = null;
        NormalizationState? state = null;
        BatchNormInferenceInto(ref result, ref state, x, gamma, beta, statistics,
            OpSite.FromCaller(nameof(BatchNormInference), file, line, xExpression, gammaExpression, betaExpression, statisticsExpression));
        return result!;
    }

    /// <summary>Writes the normalized x into <paramref name="result"/>; saves x̂ and 1/σ per feature.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void BatchNormInferenceInto(
        ref Tensor? result, ref NormalizationState? state, Tensor x, Tensor gamma, Tensor beta, BatchNormStatistics statistics, OpSite site)
    {
        CheckNormalization(x, gamma, beta, site, requireMatrix: false);
        CheckStatistics(statistics, x, site, argument: 3, training: false);
        int width = x.Dim(-1), rows = OpChecks.Rows(x);
        state ??= new NormalizationState();
        Tensor xhat = Tensor.EnsureLike(ref state.Normalized, x);
        Tensor inverseStd = Tensor.EnsureShape(ref state.InverseStd, [width]);
        Tensor y = Tensor.EnsureLike(ref result, x);

        TensorPrimitives.Add(statistics.RunningVariance.Span, NormalizationEpsilon, inverseStd.Span);
        TensorPrimitives.ReciprocalSqrt(inverseStd.Span, inverseStd.Span);
        for (int r = 0; r < rows; r++)
        {
            Span<float> h = xhat.Span.Slice(r * width, width);
            TensorPrimitives.Subtract(x.Span.Slice(r * width, width), statistics.RunningMean.Span, h);
            TensorPrimitives.Multiply(h, inverseStd.Span, h);
            TensorPrimitives.FusedMultiplyAdd(h, gamma.Span, beta.Span, y.Span.Slice(r * width, width));
        }
    }

    /// <summary>dX (+)= dResult ⊙ γ/σ per feature; dGamma (+)= Σ rows dResult ⊙ x̂; dBeta (+)= Σ rows dResult.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void BatchNormInferencePullback(
        Tensor x, Tensor gamma, Tensor beta, BatchNormStatistics statistics, Tensor result, NormalizationState state, Tensor dResult,
        GradTarget dX, GradTarget dGamma, GradTarget dBeta, OpSite site)
    {
        CheckNotStatistics(dX, 0, "x", statistics, site);
        CheckNotStatistics(dGamma, 1, "gamma", statistics, site);
        CheckNotStatistics(dBeta, 2, "beta", statistics, site);
        Tensor xhat = CheckNormalizationPullback(x, gamma, beta, result, state, dResult, dX, dGamma, dBeta, site, requireMatrix: false);
        int width = x.Dim(-1), rows = OpChecks.Rows(x);
        AffineGradients(dResult, xhat, rows, width, dGamma, dBeta);
        if (!dX.IsActive)
        {
            return;
        }
        Span<float> k = Scratch.Get(0, width);
        TensorPrimitives.Multiply(gamma.Span, state.InverseStd!.Span, k);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> dy = dResult.Span.Slice(r * width, width);
            Span<float> dst = dX.Tensor!.Span.Slice(r * width, width);
            if (dX.IsAccumulate)
            {
                TensorPrimitives.MultiplyAdd(dy, k, dst, dst);
            }
            else
            {
                TensorPrimitives.Multiply(dy, k, dst);
            }
        }
    }
}
