using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;
using AutoGrad.Probes;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>Softplus log(1 + eˣ), elementwise, computed as max(x, 0) + log(1 + e^(−|x|)) so it never overflows.</summary>
    /// <param name="x">The input, any shape.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    [ProbeActivation(ActivationKind.None, "Softplus")]
    [CustomPullback(nameof(SoftplusPullback), ForwardInto = nameof(SoftplusInto))]
    public static Tensor Softplus(Tensor x,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "")
    {
        Tensor? result = null;
        SoftplusInto(ref result, x, OpSite.FromCaller(nameof(Softplus), file, line, xExpression));
        return result!;
    }

    /// <summary>Writes Softplus(x) into <paramref name="result"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void SoftplusInto(ref Tensor? result, Tensor x, OpSite site)
    {
        Tensor y = ActivationChecks.Output(ref result, x, site);
        var t = y.Span;
        TensorPrimitives.Abs(x.Span, t);
        TensorPrimitives.Negate(t, t);
        TensorPrimitives.Exp(t, t);
        // log(1 + t), corrected for the rounding of 1 + t in SoftplusFinish (TensorPrimitives.LogP1 is log(1 + t) as
        // it stands, which loses t's digits: softplus(−17) was 0).
        var logOfSum = Scratch.Get(0, x.Length);
        TensorPrimitives.Add(t, 1f, logOfSum);
        TensorPrimitives.Log(logOfSum, logOfSum);
        Elementwise.Map(new SoftplusFinish(), x.Span, t, logOfSum, y.Span, accumulate: false);
    }

    /// <summary>dX (+)= dResult·sigmoid(x).</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void SoftplusPullback(Tensor x, Tensor result, Tensor dResult, GradTarget dX, OpSite site)
    {
        if (ActivationChecks.Backward(x, result, dResult, dX, site))
        {
            var s = Scratch.Get(0, x.Length);
            SigmoidKernel.Apply(x.Span, s);
            Grad.PutProduct(dX, dResult.Span, s);
        }
    }
}
