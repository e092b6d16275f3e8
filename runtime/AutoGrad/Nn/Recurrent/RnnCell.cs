using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>An Elman RNN step: <c>tanh(x·wxᵀ + h·whᵀ + b)</c>.</summary>
    /// <param name="x">Inputs, <c>[batch, inputs]</c>.</param>
    /// <param name="h">Previous hidden state, <c>[batch, hidden]</c>.</param>
    /// <param name="wx">Input weights, <c>[hidden, inputs]</c>.</param>
    /// <param name="wh">Recurrent weights, <c>[hidden, hidden]</c>.</param>
    /// <param name="b">Bias, <c>[hidden]</c>.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    /// <param name="hExpression">The argument passed as <paramref name="h"/>, as written (filled in by the compiler).</param>
    /// <param name="wxExpression">The argument passed as <paramref name="wx"/>, as written (filled in by the compiler).</param>
    /// <param name="whExpression">The argument passed as <paramref name="wh"/>, as written (filled in by the compiler).</param>
    /// <param name="bExpression">The argument passed as <paramref name="b"/>, as written (filled in by the compiler).</param>
    /// <returns>The new hidden state, <c>[batch, hidden]</c>.</returns>
    [CustomPullback(nameof(RnnCellPullback), ForwardInto = nameof(RnnCellInto))]
    public static Tensor RnnCell(Tensor x, Tensor h, Tensor wx, Tensor wh, Tensor b,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "",
        [CallerArgumentExpression(nameof(h))] string hExpression = "",
        [CallerArgumentExpression(nameof(wx))] string wxExpression = "",
        [CallerArgumentExpression(nameof(wh))] string whExpression = "",
        [CallerArgumentExpression(nameof(b))] string bExpression = "")
    {
        Tensor? result = null;
        RnnCellInto(ref result, x, h, wx, wh, b, OpSite.FromCaller(nameof(RnnCell), file, line, xExpression, hExpression, wxExpression, whExpression, bExpression));
        return result!;
    }

    /// <summary>Writes the new hidden state into <paramref name="result"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void RnnCellInto(ref Tensor? result, Tensor x, Tensor h, Tensor wx, Tensor wh, Tensor b, OpSite site)
    {
        RecurrentShapes s = RecurrentShapes.Check(x, h, "h", h.Dim(-1), wx, wh, b, gates: 1, site);
        Tensor y = Tensor.EnsureShape(ref result, [s.Batch, s.Hidden]);
        s.Gates(x, h, s.Hidden, wx, wh, b, y.Span);
        TensorPrimitives.Tanh(y.Span, y.Span);
    }

    /// <summary>
    /// With dZ = dResult ⊙ (1 − y²): dX (+)= dZ·wx, dH (+)= dZ·wh, dWx (+)= dZᵀ·x, dWh (+)= dZᵀ·h, dB (+)= Σ_batch dZ.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void RnnCellPullback(
        Tensor x, Tensor h, Tensor wx, Tensor wh, Tensor b, Tensor result, Tensor dResult,
        GradTarget dX, GradTarget dH, GradTarget dWx, GradTarget dWh, GradTarget dB, OpSite site)
    {
        RecurrentShapes s = RecurrentShapes.Check(x, h, "h", h.Dim(-1), wx, wh, b, gates: 1, site);
        OpChecks.Result(result, s.Batch, s.Hidden, site);
        OpChecks.ResultGradient(dResult, result, site);
        RecurrentShapes.CheckGradients(x, h, "h", wx, wh, b, dX, dH, dWx, dWh, dB, site);
        var dZ = Scratch.Get(0, result.Length);
        Elementwise.Map(new TanhGradient(), dResult.Span, result.Span, dZ, accumulate: false);
        s.Backward(x, h, s.Hidden, wx, wh, dZ, dZ, dX, dWx, dWh, dB);
        if (dH.IsActive)
        {
            s.HiddenGradient(wh, dZ, dH.Tensor!.Span, s.Hidden, dH.IsAccumulate);
        }
    }
}
