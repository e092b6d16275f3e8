using System;
using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;

namespace AutoGrad;

/// <summary>What <see cref="Nn.LstmCellInto"/> saves for its pullback: the gate activations and tanh of the new cell.</summary>
public sealed class LstmCellState
{
    internal Tensor? Gates;
    internal Tensor? TanhCell;
}

public static partial class Nn
{
    /// <summary>
    /// An LSTM step. The state is h and c side by side, <c>[batch, 2·hidden]</c>; gates are ordered i, f, g, o
    /// (PyTorch's order): <c>c' = σ(f)⊙c + σ(i)⊙tanh(g)</c>, <c>h' = σ(o)⊙tanh(c')</c>.
    /// </summary>
    /// <param name="x">Inputs, <c>[batch, inputs]</c>.</param>
    /// <param name="state">Previous state [h, c], <c>[batch, 2·hidden]</c>.</param>
    /// <param name="wx">Input weights, <c>[4·hidden, inputs]</c>.</param>
    /// <param name="wh">Recurrent weights, <c>[4·hidden, hidden]</c>.</param>
    /// <param name="b">Bias, <c>[4·hidden]</c>.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    /// <param name="stateExpression">The argument passed as <paramref name="state"/>, as written (filled in by the compiler).</param>
    /// <param name="wxExpression">The argument passed as <paramref name="wx"/>, as written (filled in by the compiler).</param>
    /// <param name="whExpression">The argument passed as <paramref name="wh"/>, as written (filled in by the compiler).</param>
    /// <param name="bExpression">The argument passed as <paramref name="b"/>, as written (filled in by the compiler).</param>
    /// <returns>The new state [h', c'], <c>[batch, 2·hidden]</c>; <see cref="LstmHidden"/> takes h'.</returns>
    [CustomPullback(nameof(LstmCellPullback), ForwardInto = nameof(LstmCellInto))]
    public static Tensor LstmCell(Tensor x, Tensor state, Tensor wx, Tensor wh, Tensor b,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "",
        [CallerArgumentExpression(nameof(state))] string stateExpression = "",
        [CallerArgumentExpression(nameof(wx))] string wxExpression = "",
        [CallerArgumentExpression(nameof(wh))] string whExpression = "",
        [CallerArgumentExpression(nameof(b))] string bExpression = "")
    {
        Tensor? result = null;
        LstmCellState? saved = null;
        LstmCellInto(ref result, ref saved, x, state, wx, wh, b,
            OpSite.FromCaller(nameof(LstmCell), file, line, xExpression, stateExpression, wxExpression, whExpression, bExpression));
        return result!;
    }

    /// <summary>Writes the new state into <paramref name="result"/> and the gates into <paramref name="saved"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void LstmCellInto(ref Tensor? result, ref LstmCellState? saved, Tensor x, Tensor state, Tensor wx, Tensor wh, Tensor b, OpSite site)
    {
        RecurrentShapes s = CheckLstm(x, state, wx, wh, b, site);
        int hidden = s.Hidden;
        saved ??= new LstmCellState();
        Tensor gates = Tensor.EnsureShape(ref saved.Gates, [s.Batch, 4 * hidden]);
        Tensor tanhCell = Tensor.EnsureShape(ref saved.TanhCell, [s.Batch, hidden]);
        Tensor y = Tensor.EnsureShape(ref result, [s.Batch, 2 * hidden]);
        s.Gates(x, state, 2 * hidden, wx, wh, b, gates.Span);
        for (int r = 0; r < s.Batch; r++)
        {
            Span<float> gate = gates.Span.Slice(r * 4 * hidden, 4 * hidden);
            SigmoidKernel.Apply(gate[..(2 * hidden)], gate[..(2 * hidden)]);
            TensorPrimitives.Tanh(gate.Slice(2 * hidden, hidden), gate.Slice(2 * hidden, hidden));
            SigmoidKernel.Apply(gate.Slice(3 * hidden, hidden), gate.Slice(3 * hidden, hidden));
            Span<float> i = gate[..hidden], f = gate.Slice(hidden, hidden), g = gate.Slice(2 * hidden, hidden), o = gate.Slice(3 * hidden, hidden);
            Span<float> hNew = y.Span.Slice(r * 2 * hidden, hidden), cNew = y.Span.Slice(r * 2 * hidden + hidden, hidden);
            Span<float> tc = tanhCell.Span.Slice(r * hidden, hidden);
            TensorPrimitives.Multiply(f, state.Span.Slice(r * 2 * hidden + hidden, hidden), cNew);
            TensorPrimitives.MultiplyAdd(i, g, cNew, cNew);
            TensorPrimitives.Tanh(cNew, tc);
            TensorPrimitives.Multiply(o, tc, hNew);
        }
    }

    /// <summary>
    /// Back through the cell: with dc* = dc' + dh'⊙o⊙(1 − tanh²c'), the gate gradients are di = dc*⊙g, df = dc*⊙c,
    /// dg = dc*⊙i, do = dh'⊙tanh c' (times each activation's derivative); then the GEMMs of
    /// <see cref="RnnCellPullback"/>. The state gradient is [dZ·wh, dc*⊙f].
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void LstmCellPullback(
        Tensor x, Tensor state, Tensor wx, Tensor wh, Tensor b, Tensor result, LstmCellState saved, Tensor dResult,
        GradTarget dX, GradTarget dState, GradTarget dWx, GradTarget dWh, GradTarget dB, OpSite site)
    {
        RecurrentShapes s = CheckLstm(x, state, wx, wh, b, site);
        OpChecks.Result(result, state, site);
        OpChecks.ResultGradient(dResult, result, site);
        RecurrentShapes.CheckGradients(x, state, "state", wx, wh, b, dX, dState, dWx, dWh, dB, site);
        ArgumentNullException.ThrowIfNull(saved);
        Tensor gates = saved.Gates ?? throw new InvalidOperationException($"{site.Describe()}: the pullback ran before the forward.");
        int hidden = s.Hidden, batch = s.Batch;
        Span<float> dZ = Scratch.Get(0, batch * 4 * hidden), dCell = Scratch.Get(1, batch * hidden);
        ReadOnlySpan<float> g4 = gates.Span, tanhCell = saved.TanhCell!.Span, dy = dResult.Span, st = state.Span;
        // Elementwise gate algebra is O(batch·hidden) against the O(batch·hidden·(inputs + hidden)) GEMMs below,
        // so it stays a plain loop that reads each saved value once.
        for (int r = 0; r < batch; r++)
        {
            int gRow = r * 4 * hidden, sRow = r * 2 * hidden, hRow = r * hidden;
            for (int j = 0; j < hidden; j++)
            {
                float i = g4[gRow + j], f = g4[gRow + hidden + j], g = g4[gRow + 2 * hidden + j], o = g4[gRow + 3 * hidden + j];
                float tc = tanhCell[hRow + j], c = st[sRow + hidden + j];
                float dh = dy[sRow + j], dc = dy[sRow + hidden + j] + dh * o * (1f - tc * tc);
                dZ[gRow + j] = dc * g * i * (1f - i);
                dZ[gRow + hidden + j] = dc * c * f * (1f - f);
                dZ[gRow + 2 * hidden + j] = dc * i * (1f - g * g);
                dZ[gRow + 3 * hidden + j] = dh * tc * o * (1f - o);
                dCell[hRow + j] = dc * f;
            }
        }
        s.Backward(x, state, 2 * hidden, wx, wh, dZ, dZ, dX, dWx, dWh, dB);
        if (dState.IsActive)
        {
            Span<float> dst = dState.Tensor!.Span;
            s.HiddenGradient(wh, dZ, dst, 2 * hidden, dState.IsAccumulate);
            Columns.Copy(dCell, hidden, 0, dst, 2 * hidden, hidden, hidden, batch, dState.IsAccumulate);
        }
    }

    private static RecurrentShapes CheckLstm(Tensor x, Tensor state, Tensor wx, Tensor wh, Tensor b, OpSite site)
    {
        OpChecks.Matrix(state, site, 1, "state", "batch, 2·hidden");
        if (state.Dim(1) % 2 != 0)
        {
            throw new ShapeMismatchException(
                site, $"{site.Argument(1, "state")} has shape {state.ShapeString}; an LSTM state is [h, c] side by side, so its width must be even");
        }
        return RecurrentShapes.Check(x, state, "state", state.Dim(1) / 2, wx, wh, b, gates: 4, site);
    }
}
