using System.ComponentModel;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;
using AutoGrad.Probes;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>Hyperbolic tangent, elementwise.</summary>
    /// <param name="x">The input, any shape.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    [ProbeActivation(ActivationKind.Tanh, "Tanh")]
    [CustomPullback(nameof(TanhPullback), ForwardInto = nameof(TanhInto))]
    public static Tensor Tanh(Tensor x,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "")
    {
        Tensor? result = null;
        TanhInto(ref result, x, OpSite.FromCaller(nameof(Tanh), file, line, xExpression));
        return result!;
    }

    /// <summary>
    /// Writes Tanh(x) into <paramref name="result"/>, counting saturated outputs for <paramref name="reading"/> in the
    /// same pass when it is active.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void TanhInto(ref Tensor? result, Tensor x, OpSite site, ActivationReading reading = default)
    {
        Tensor y = ActivationChecks.Output(ref result, x, site);
        long saturated = TanhKernel.Apply(x.Span, y.Span, SaturationThresholds.TanhAbs, count: reading.IsActive);
        reading.RecordSaturated(saturated, y.Length);
    }

    /// <summary>dX (+)= dResult·(1 − y²), from the saved output.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void TanhPullback(Tensor x, Tensor result, Tensor dResult, GradTarget dX, OpSite site)
    {
        if (ActivationChecks.Backward(x, result, dResult, dX, site))
        {
            Elementwise.Map(new TanhGradient(), dResult.Span, result.Span, dX.Tensor!.Span, dX.IsAccumulate);
        }
    }
}
