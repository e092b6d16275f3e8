using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;
using AutoGrad.Probes;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>Exponential linear unit with alpha 1: x where positive, eˣ − 1 elsewhere.</summary>
    /// <param name="x">The input, any shape.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    [ProbeActivation(ActivationKind.None, "Elu")]
    [CustomPullback(nameof(EluPullback), ForwardInto = nameof(EluInto))]
    public static Tensor Elu(Tensor x,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "")
    {
        Tensor? result = null;
        EluInto(ref result, x, OpSite.FromCaller(nameof(Elu), file, line, xExpression));
        return result!;
    }

    /// <summary>Writes Elu(x) into <paramref name="result"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void EluInto(ref Tensor? result, Tensor x, OpSite site)
    {
        Tensor y = ActivationChecks.Output(ref result, x, site);
        TensorPrimitives.ExpM1(x.Span, y.Span);
        Elementwise.Map(new EluForward(1f, 1f), x.Span, y.Span, y.Span, accumulate: false);
    }

    /// <summary>dX (+)= dResult where x is positive, dResult·eˣ elsewhere (from x: from the output it would cancel for very negative x).</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void EluPullback(Tensor x, Tensor result, Tensor dResult, GradTarget dX, OpSite site)
    {
        if (ActivationChecks.Backward(x, result, dResult, dX, site))
        {
            var e = Scratch.Get(0, x.Length);
            TensorPrimitives.Exp(x.Span, e);
            Elementwise.Map(new EluGradient(1f, 1f), dResult.Span, x.Span, e, dX.Tensor!.Span, dX.IsAccumulate);
        }
    }
}
