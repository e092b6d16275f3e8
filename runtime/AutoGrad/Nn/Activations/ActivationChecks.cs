using System;

namespace AutoGrad;

/// <summary>The checks every elementwise activation makes, in one place.</summary>
internal static class ActivationChecks
{
    /// <summary>Checks the input and returns the result tensor, (re)allocated to x's shape only when needed.</summary>
    public static Tensor Output(ref Tensor? result, Tensor x, OpSite site)
    {
        OpChecks.NotNull(x, site, 0, "x");
        return Tensor.EnsureLike(ref result, x);
    }

    /// <summary>Checks a pullback's tensors; returns false when no gradient is wanted (nothing to do).</summary>
    public static bool Backward(Tensor x, Tensor result, Tensor dResult, GradTarget dX, OpSite site)
    {
        OpChecks.NotNull(x, site, 0, "x");
        OpChecks.ResultGradient(dResult, result, site);
        OpChecks.SameShape(result, x, site, 0, "x", 0, "x");
        OpChecks.Gradient(dX, x, site, 0, "x");
        return dX.IsActive;
    }
}
