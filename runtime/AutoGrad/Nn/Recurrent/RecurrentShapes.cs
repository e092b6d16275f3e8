using System;
using AutoGrad.Kernels;

namespace AutoGrad;

/// <summary>
/// The shapes of a recurrent cell (batch, inputs, hidden units, gates per unit) and the GEMMs every cell runs on
/// them. The previous hidden state may be the left half of a wider tensor (the LSTM state [h, c]), so its row
/// stride is passed explicitly: no copies are made to split or join states.
/// </summary>
internal readonly struct RecurrentShapes
{
    private RecurrentShapes(int batch, int inputs, int hidden, int gates)
    {
        Batch = batch;
        Inputs = inputs;
        Hidden = hidden;
        GateWidth = gates * hidden;
    }

    public int Batch { get; }
    public int Inputs { get; }
    public int Hidden { get; }

    /// <summary>Gate pre-activations per row: gates × hidden.</summary>
    public int GateWidth { get; }

    /// <summary>Checks x [B,I], the state tensor [B, *], wx [G·H, I], wh [G·H, H], b [G·H].</summary>
    public static RecurrentShapes Check(
        Tensor x, Tensor state, string stateName, int hidden, Tensor wx, Tensor wh, Tensor b, int gates, OpSite site)
    {
        OpChecks.Matrix(x, site, 0, "x", "batch, inputs");
        OpChecks.Matrix(state, site, 1, stateName, "batch, hidden");
        OpChecks.Matrix(wx, site, 2, "wx", "gates·hidden, inputs");
        OpChecks.Matrix(wh, site, 3, "wh", "gates·hidden, hidden");
        var s = new RecurrentShapes(x.Dim(0), x.Dim(1), hidden, gates);
        string xName = site.Argument(0, "x"), hName = site.Argument(1, stateName), wxName = site.Argument(2, "wx"), whName = site.Argument(3, "wh");
        if (state.Dim(0) != s.Batch)
        {
            throw new ShapeMismatchException(site, $"{xName} has {s.Batch} rows but {hName} has {state.Dim(0)} ({xName} is {x.ShapeString}, {hName} is {state.ShapeString})");
        }
        int weightsHidden = wx.Dim(0) / gates;
        if (wx.Dim(0) != s.GateWidth && wx.Dim(0) % gates == 0 && wx.Dim(1) == s.Inputs && wh.Dim(0) == wx.Dim(0) && wh.Dim(1) == weightsHidden)
        {
            // The weights agree with each other and with x, so the state is the odd one out (an LSTM given h alone).
            int perUnit = hidden > 0 ? state.Dim(1) / hidden : 1;
            throw new ShapeMismatchException(site,
                $"{hName} is {state.ShapeString} but {wxName} and {whName} are for {weightsHidden} hidden units, so {hName} must be " +
                $"[{s.Batch}, {perUnit * weightsHidden}]" + (perUnit == 2 ? " (an LSTM's state is h and c side by side: [batch, 2·hidden])" : ""));
        }
        if (wx.Dim(0) == s.GateWidth && wx.Dim(1) != s.Inputs)
        {
            // wx fits the hidden size, so the input is the odd one out (a step of the sequence with other features).
            throw new ShapeMismatchException(
                site, $"{xName} has {s.Inputs} features but {wxName} expects {wx.Dim(1)} ({xName} is {x.ShapeString}, {wxName} is {wx.ShapeString})");
        }
        if (wx.Dim(0) != s.GateWidth || wx.Dim(1) != s.Inputs)
        {
            throw new ShapeMismatchException(
                site, $"{wxName} has shape {wx.ShapeString} but must be [{s.GateWidth}, {s.Inputs}] for {s.Hidden} hidden units and {xName} {x.ShapeString}");
        }
        if (wh.Dim(0) != s.GateWidth || wh.Dim(1) != s.Hidden)
        {
            throw new ShapeMismatchException(
                site, $"{whName} has shape {wh.ShapeString} but must be [{s.GateWidth}, {s.Hidden}] for {s.Hidden} hidden units ({hName} is {state.ShapeString})");
        }
        OpChecks.Vector(b, s.GateWidth, site, 4, "b", "gate rows", wx, 2, "wx");
        return s;
    }

    public static void CheckGradients(
        Tensor x, Tensor state, string stateName, Tensor wx, Tensor wh, Tensor b,
        GradTarget dX, GradTarget dState, GradTarget dWx, GradTarget dWh, GradTarget dB, OpSite site)
    {
        OpChecks.Gradient(dX, x, site, 0, "x");
        OpChecks.Gradient(dState, state, site, 1, stateName);
        OpChecks.Gradient(dWx, wx, site, 2, "wx");
        OpChecks.Gradient(dWh, wh, site, 3, "wh");
        OpChecks.Gradient(dB, b, site, 4, "b");
    }

    /// <summary><c>gates = x·wxᵀ + b + h·whᵀ</c>, h being the first <see cref="Hidden"/> columns of <paramref name="state"/>.</summary>
    public void Gates(Tensor x, Tensor state, int stateStride, Tensor wx, Tensor wh, Tensor b, Span<float> gates)
    {
        Gemm.Multiply(false, true, Batch, GateWidth, Inputs, x.Span, Inputs, wx.Span, Inputs, gates, GateWidth, false, b.Span);
        HiddenProduct(state, stateStride, wh, gates, accumulate: true);
    }

    /// <summary><c>out (+)= h·whᵀ</c>.</summary>
    public void HiddenProduct(Tensor state, int stateStride, Tensor wh, Span<float> output, bool accumulate) =>
        Gemm.Multiply(false, true, Batch, GateWidth, Hidden, state.Span, stateStride, wh.Span, Hidden, output, GateWidth, accumulate);

    /// <summary>
    /// Weight, bias and input gradients from the gate gradients: dWx (+)= dGxᵀ·x (with dB fused), dWh (+)= dGhᵀ·h,
    /// dX (+)= dGx·wx. dGx and dGh differ only for the GRU, whose candidate gate sees r ⊙ (h·whᵀ).
    /// </summary>
    public void Backward(
        Tensor x, Tensor state, int stateStride, Tensor wx, Tensor wh, ReadOnlySpan<float> dGx, ReadOnlySpan<float> dGh,
        GradTarget dX, GradTarget dWx, GradTarget dWh, GradTarget dB)
    {
        LayerGradients.WeightAndBias(dGx, Batch, GateWidth, x.Span, Inputs, Inputs, dWx, dB);
        LayerGradients.WeightAndBias(dGh, Batch, GateWidth, state.Span, Hidden, stateStride, dWh, GradTarget.None);
        if (dX.IsActive)
        {
            LayerGradients.Input(dGx, Batch, GateWidth, wx.Span, Inputs, dX.Tensor!.Span, Inputs, dX.IsAccumulate);
        }
    }

    /// <summary><c>dH (+)= dGh·wh</c> into the first <see cref="Hidden"/> columns of a buffer with row stride <paramref name="stride"/>.</summary>
    public void HiddenGradient(Tensor wh, ReadOnlySpan<float> dGh, Span<float> dH, int stride, bool accumulate) =>
        LayerGradients.Input(dGh, Batch, GateWidth, wh.Span, Hidden, dH, stride, accumulate);
}
