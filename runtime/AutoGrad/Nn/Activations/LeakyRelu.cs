using System.ComponentModel;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;
using AutoGrad.Probes;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>Leaky ReLU: x where positive, <paramref name="alpha"/>·x elsewhere, elementwise.</summary>
    /// <param name="x">The input, any shape.</param>
    /// <param name="alpha">The slope for negative inputs (a constant, not differentiated), e.g. 0.01.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    /// <param name="alphaExpression">The argument passed as <paramref name="alpha"/>, as written (filled in by the compiler).</param>
    [ProbeActivation(ActivationKind.None, "LeakyRelu")]
    [CustomPullback(nameof(LeakyReluPullback), ForwardInto = nameof(LeakyReluInto))]
    public static Tensor LeakyRelu(Tensor x, [NoGrad] float alpha,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "",
        [CallerArgumentExpression(nameof(alpha))] string alphaExpression = "")
    {
        Tensor? result = null;
        LeakyReluInto(ref result, x, alpha, OpSite.FromCaller(nameof(LeakyRelu), file, line, xExpression, alphaExpression));
        return result!;
    }

    /// <summary>Writes LeakyRelu(x, alpha) into <paramref name="result"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void LeakyReluInto(ref Tensor? result, Tensor x, float alpha, OpSite site)
    {
        Tensor y = ActivationChecks.Output(ref result, x, site);
        Elementwise.Map(new LeakyReluForward(alpha), x.Span, y.Span, accumulate: false);
    }

    /// <summary>dX (+)= dResult where x is positive, alpha·dResult elsewhere.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void LeakyReluPullback(Tensor x, float alpha, Tensor result, Tensor dResult, GradTarget dX, OpSite site)
    {
        if (ActivationChecks.Backward(x, result, dResult, dX, site))
        {
            Elementwise.Map(new LeakyReluGradient(alpha), dResult.Span, x.Span, dX.Tensor!.Span, dX.IsAccumulate);
        }
    }
}
