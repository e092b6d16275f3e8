using System;
using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;

namespace AutoGrad;

/// <summary>What <see cref="Nn.GruCellInto"/> saves for its pullback: the gates r, z, n and the recurrent part of n.</summary>
public sealed class GruCellState
{
    internal Tensor? Gates;
    internal Tensor? RecurrentCandidate;
}

public static partial class Nn
{
    /// <summary>
    /// A GRU step with PyTorch's equations and gate order r, z, n: <c>r = σ(x·Wxrᵀ + h·Whrᵀ + b_r)</c>,
    /// <c>z = σ(x·Wxzᵀ + h·Whzᵀ + b_z)</c>, <c>n = tanh(x·Wxnᵀ + b_n + r ⊙ (h·Whnᵀ))</c>, <c>h' = (1 − z)⊙n + z⊙h</c>.
    /// With a single bias, b_n sits outside the reset gate (PyTorch's b_hn is zero).
    /// </summary>
    /// <param name="x">Inputs, <c>[batch, inputs]</c>.</param>
    /// <param name="h">Previous hidden state, <c>[batch, hidden]</c>.</param>
    /// <param name="wx">Input weights, <c>[3·hidden, inputs]</c>.</param>
    /// <param name="wh">Recurrent weights, <c>[3·hidden, hidden]</c>.</param>
    /// <param name="b">Bias, <c>[3·hidden]</c>.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    /// <param name="hExpression">The argument passed as <paramref name="h"/>, as written (filled in by the compiler).</param>
    /// <param name="wxExpression">The argument passed as <paramref name="wx"/>, as written (filled in by the compiler).</param>
    /// <param name="whExpression">The argument passed as <paramref name="wh"/>, as written (filled in by the compiler).</param>
    /// <param name="bExpression">The argument passed as <paramref name="b"/>, as written (filled in by the compiler).</param>
    /// <returns>The new hidden state, <c>[batch, hidden]</c>.</returns>
    [CustomPullback(nameof(GruCellPullback), ForwardInto = nameof(GruCellInto))]
    public static Tensor GruCell(Tensor x, Tensor h, Tensor wx, Tensor wh, Tensor b,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "",
        [CallerArgumentExpression(nameof(h))] string hExpression = "",
        [CallerArgumentExpression(nameof(wx))] string wxExpression = "",
        [CallerArgumentExpression(nameof(wh))] string whExpression = "",
        [CallerArgumentExpression(nameof(b))] string bExpression = "")
    {
        Tensor? result = null;
        GruCellState? saved = null;
        GruCellInto(ref result, ref saved, x, h, wx, wh, b,
            OpSite.FromCaller(nameof(GruCell), file, line, xExpression, hExpression, wxExpression, whExpression, bExpression));
        return result!;
    }

    /// <summary>Writes the new hidden state into <paramref name="result"/> and the gates into <paramref name="saved"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void GruCellInto(ref Tensor? result, ref GruCellState? saved, Tensor x, Tensor h, Tensor wx, Tensor wh, Tensor b, OpSite site)
    {
        RecurrentShapes s = RecurrentShapes.Check(x, h, "h", h.Dim(-1), wx, wh, b, gates: 3, site);
        int hidden = s.Hidden, width = 3 * hidden;
        saved ??= new GruCellState();
        Tensor gates = Tensor.EnsureShape(ref saved.Gates, [s.Batch, width]);
        Tensor recurrent = Tensor.EnsureShape(ref saved.RecurrentCandidate, [s.Batch, hidden]);
        Tensor y = Tensor.EnsureShape(ref result, [s.Batch, hidden]);
        // The candidate needs h·whᵀ apart from x·wxᵀ (the reset gate scales only the former), so the two products
        // go to separate buffers: gates = x·wxᵀ + b, hh = h·whᵀ.
        Span<float> hh = Scratch.Get(0, s.Batch * width), diff = Scratch.Get(1, hidden);
        Gemm.Multiply(false, true, s.Batch, width, s.Inputs, x.Span, s.Inputs, wx.Span, s.Inputs, gates.Span, width, false, b.Span);
        s.HiddenProduct(h, hidden, wh, hh, accumulate: false);
        for (int r = 0; r < s.Batch; r++)
        {
            Span<float> gate = gates.Span.Slice(r * width, width);
            ReadOnlySpan<float> hhRow = hh.Slice(r * width, width);
            Span<float> rz = gate[..(2 * hidden)], n = gate.Slice(2 * hidden, hidden);
            TensorPrimitives.Add(rz, hhRow[..(2 * hidden)], rz);
            SigmoidKernel.Apply(rz, rz);
            Span<float> recurrentRow = recurrent.Span.Slice(r * hidden, hidden);
            hhRow.Slice(2 * hidden, hidden).CopyTo(recurrentRow);
            TensorPrimitives.MultiplyAdd(gate[..hidden], recurrentRow, n, n);
            TensorPrimitives.Tanh(n, n);
            // h' = n + z ⊙ (h − n)
            ReadOnlySpan<float> hRow = h.Span.Slice(r * hidden, hidden);
            TensorPrimitives.Subtract(hRow, n, diff);
            TensorPrimitives.MultiplyAdd(gate.Slice(hidden, hidden), diff, n, y.Span.Slice(r * hidden, hidden));
        }
    }

    /// <summary>
    /// Back through the cell: dn = dh'⊙(1 − z), dz = dh'⊙(h − n), the candidate's pre-activation gradient
    /// a = dn⊙(1 − n²) reaches r through a⊙(h·Whnᵀ) and h·Whnᵀ through a⊙r; dH gets dh'⊙z plus dGh·wh.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void GruCellPullback(
        Tensor x, Tensor h, Tensor wx, Tensor wh, Tensor b, Tensor result, GruCellState saved, Tensor dResult,
        GradTarget dX, GradTarget dH, GradTarget dWx, GradTarget dWh, GradTarget dB, OpSite site)
    {
        RecurrentShapes s = RecurrentShapes.Check(x, h, "h", h.Dim(-1), wx, wh, b, gates: 3, site);
        OpChecks.Result(result, s.Batch, s.Hidden, site);
        OpChecks.ResultGradient(dResult, result, site);
        RecurrentShapes.CheckGradients(x, h, "h", wx, wh, b, dX, dH, dWx, dWh, dB, site);
        ArgumentNullException.ThrowIfNull(saved);
        Tensor gates = saved.Gates ?? throw new InvalidOperationException($"{site.Describe()}: the pullback ran before the forward.");
        int hidden = s.Hidden, width = 3 * hidden, batch = s.Batch;
        Span<float> dGx = Scratch.Get(0, batch * width), dGh = Scratch.Get(1, batch * width), dDirect = Scratch.Get(2, batch * hidden);
        ReadOnlySpan<float> g3 = gates.Span, hn = saved.RecurrentCandidate!.Span, dy = dResult.Span, hs = h.Span;
        // O(batch·hidden) gate algebra beside O(batch·hidden·(inputs + hidden)) GEMMs: a plain loop.
        for (int row = 0; row < batch; row++)
        {
            int gRow = row * width, hRow = row * hidden;
            for (int j = 0; j < hidden; j++)
            {
                float r = g3[gRow + j], z = g3[gRow + hidden + j], n = g3[gRow + 2 * hidden + j];
                float d = dy[hRow + j];
                float a = d * (1f - z) * (1f - n * n);
                float dr = a * hn[hRow + j] * r * (1f - r);
                float dz = d * (hs[hRow + j] - n) * z * (1f - z);
                dGx[gRow + j] = dGh[gRow + j] = dr;
                dGx[gRow + hidden + j] = dGh[gRow + hidden + j] = dz;
                dGx[gRow + 2 * hidden + j] = a;
                dGh[gRow + 2 * hidden + j] = a * r;
                dDirect[hRow + j] = d * z;
            }
        }
        s.Backward(x, h, hidden, wx, wh, dGx, dGh, dX, dWx, dWh, dB);
        if (dH.IsActive)
        {
            Grad.Put(dH, dDirect);
            s.HiddenGradient(wh, dGh, dH.Tensor!.Span, hidden, accumulate: true);
        }
    }
}
