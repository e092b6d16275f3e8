using System;

namespace AutoGrad;

public static partial class Nn
{
    private static void CheckNormalization(Tensor x, Tensor gamma, Tensor beta, OpSite site, bool requireMatrix)
    {
        OpChecks.NotNull(x, site, 0, "x");
        if (requireMatrix)
        {
            OpChecks.Matrix(x, site, 0, "x", "batch, features");
        }
        OpChecks.Vector(gamma, x.Dim(-1), site, 1, "gamma", "features", x, 0, "x");
        OpChecks.Vector(beta, x.Dim(-1), site, 2, "beta", "features", x, 0, "x");
    }

    /// <summary>dGamma (+)= Σ_rows dResult ⊙ x̂ and dBeta (+)= Σ_rows dResult: the gradients of the affine <c>γ ⊙ x̂ + β</c>.</summary>
    private static void AffineGradients(Tensor dResult, Tensor xhat, int rows, int width, GradTarget dGamma, GradTarget dBeta)
    {
        if (dGamma.IsActive)
        {
            Kernels.Reductions.ColumnSums(dResult.Span, xhat.Span, rows, width, dGamma.Tensor!.Span, dGamma.IsAccumulate);
        }
        if (dBeta.IsActive)
        {
            Kernels.Reductions.ColumnSums(dResult.Span, rows, width, dBeta.Tensor!.Span, dBeta.IsAccumulate);
        }
    }

    /// <summary>The checks the normalizations' pullbacks make; returns the saved x̂.</summary>
    private static Tensor CheckNormalizationPullback(
        Tensor x, Tensor gamma, Tensor beta, Tensor result, NormalizationState state, Tensor dResult,
        GradTarget dX, GradTarget dGamma, GradTarget dBeta, OpSite site, bool requireMatrix)
    {
        CheckNormalization(x, gamma, beta, site, requireMatrix);
        ArgumentNullException.ThrowIfNull(state);
        Tensor xhat = state.Normalized ?? throw new InvalidOperationException($"{site.Describe()}: the pullback ran before the forward.");
        OpChecks.SameShape(xhat, x, site, 0, "x", 0, "x");
        OpChecks.Result(result, x, site);
        OpChecks.ResultGradient(dResult, result, site);
        OpChecks.Gradient(dX, x, site, 0, "x");
        OpChecks.Gradient(dGamma, gamma, site, 1, "gamma");
        OpChecks.Gradient(dBeta, beta, site, 2, "beta");
        return xhat;
    }
}
