using System;
using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;
using AutoGrad.Probes;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>Elements of the result summed and activated together, a block at a time (32 KB, well inside L1).</summary>
    private const int AddActivationBlock = 8192;

    /// <summary>
    /// <c>activation(a + b)</c> as one op: the same values as <c>Tanh(Add(a, b))</c> (or Relu, Sigmoid), the way a
    /// layer written as <c>Nn.Relu(Nn.Add(Nn.MatMul(x, w), b))</c> or a recurrence <c>Nn.Tanh(Nn.Add(Nn.MatMul(x, wx),
    /// Nn.MatMul(h, wh)))</c> ends. The sum is never a tensor of its own: the forward activates it block by block while
    /// it is in cache, and the backward writes <c>dY ⊙ activation'</c> straight into the operands' gradients (summing
    /// a broadcast vector's in the same pass where the kernel can), where the two ops took two passes more and a copy.
    /// </summary>
    /// <param name="a">The first operand: any shape, or a vector as long as b's last axis.</param>
    /// <param name="b">Same shape as a, or a vector as long as a's last axis (a bias).</param>
    /// <param name="activation">The activation applied to the sum.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="aExpression">The argument passed as <paramref name="a"/>, as written (filled in by the compiler).</param>
    /// <param name="bExpression">The argument passed as <paramref name="b"/>, as written (filled in by the compiler).</param>
    /// <param name="activationExpression">The argument passed as <paramref name="activation"/>, as written (filled in by the compiler).</param>
    [CustomPullback(nameof(AddActivationPullback), ForwardInto = nameof(AddActivationInto))]
    [Probes.ProbeContinuesLayer]
    [FusionOf(nameof(Relu), nameof(Add), Argument = FusedActivation.Relu)]
    [FusionOf(nameof(Tanh), nameof(Add), Argument = FusedActivation.Tanh)]
    [FusionOf(nameof(Sigmoid), nameof(Add), Argument = FusedActivation.Sigmoid)]
    public static Tensor AddActivation(
        Tensor a, Tensor b, [NoGrad] FusedActivation activation,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(a))] string aExpression = "",
        [CallerArgumentExpression(nameof(b))] string bExpression = "",
        [CallerArgumentExpression(nameof(activation))] string activationExpression = "")
    {
        Tensor? result = null;
        AddActivationInto(ref result, a, b, activation,
            OpSite.FromCaller(nameof(AddActivation), file, line, aExpression, bExpression, activationExpression));
        return result!;
    }

    /// <summary>
    /// Writes <c>activation(a + b)</c> into <paramref name="result"/> and reports the activation's probe reading to
    /// <paramref name="reading"/> (tanh counts saturation in the same pass).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void AddActivationInto(
        ref Tensor? result, Tensor a, Tensor b, FusedActivation activation, OpSite site, ActivationReading reading = default)
    {
        Broadcasting broadcasting = Broadcast.Check(a, b, site);
        CheckFusedActivation(activation, site);
        Tensor y = Tensor.EnsureLike(ref result, Broadcast.Full(a, b, broadcasting));
        Span<float> ys = y.Span;
        // A block is whole rows of the full operand, so a broadcast vector lines up with each of them.
        int width = broadcasting == Broadcasting.None ? 1 : Math.Max(1, y.Dim(-1));
        int block = Math.Max(1, AddActivationBlock / width) * width;
        long saturated = 0;
        for (int start = 0; start < ys.Length; start += block)
        {
            int length = Math.Min(block, ys.Length - start);
            Span<float> part = ys.Slice(start, length);
            switch (broadcasting)
            {
                case Broadcasting.None:
                    TensorPrimitives.Add(a.Span.Slice(start, length), b.Span.Slice(start, length), part);
                    break;
                case Broadcasting.SecondOverRows:
                    for (int row = 0; row < length; row += width)
                    {
                        TensorPrimitives.Add(a.Span.Slice(start + row, width), b.Span, part.Slice(row, width));
                    }
                    break;
                default:
                    for (int row = 0; row < length; row += width)
                    {
                        TensorPrimitives.Add(a.Span, b.Span.Slice(start + row, width), part.Slice(row, width));
                    }
                    break;
            }
            switch (activation)
            {
                case FusedActivation.Relu:
                    TensorPrimitives.Max(part, 0f, part);
                    break;
                case FusedActivation.Tanh:
                    saturated += TanhKernel.Apply(part, part, SaturationThresholds.TanhAbs, count: reading.IsActive);
                    break;
                default:
                    SigmoidKernel.Apply(part, part);
                    break;
            }
        }
        switch (activation)
        {
            case FusedActivation.Relu:
                reading.Record(ys, OpChecks.Rows(y), ActivationKind.Relu);
                break;
            case FusedActivation.Tanh:
                reading.RecordSaturated(saturated, ys.Length);
                break;
            default:
                reading.Record(ys, OpChecks.Rows(y), ActivationKind.Sigmoid);
                break;
        }
    }

    /// <summary>
    /// dZ = dResult ⊙ activation'(result); dA (+)= dZ and dB (+)= dZ, a broadcast vector's summed over the rows. dZ
    /// is computed once, into the full operand's gradient when that one is overwritten.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void AddActivationPullback(
        Tensor a, Tensor b, FusedActivation activation, Tensor result, Tensor dResult, GradTarget dA, GradTarget dB, OpSite site)
    {
        Broadcasting broadcasting = Broadcast.CheckPullback(a, b, result, dResult, dA, dB, site);
        CheckFusedActivation(activation, site);
        switch (activation)
        {
            case FusedActivation.Relu:
                AddActivationBackward(new ReluGradient(), broadcasting, result, dResult, dA, dB);
                break;
            case FusedActivation.Tanh:
                AddActivationBackward(new TanhGradient(), broadcasting, result, dResult, dA, dB);
                break;
            default:
                AddActivationBackward(new SigmoidGradient(), broadcasting, result, dResult, dA, dB);
                break;
        }
    }

    private static unsafe void AddActivationBackward<TOp>(
        TOp gradient, Broadcasting broadcasting, Tensor result, Tensor dResult, GradTarget dA, GradTarget dB)
        where TOp : struct, IBinaryOp
    {
        // 'full' receives dZ itself; 'other' dZ again (operands of one shape) or its column sums (a broadcast vector).
        (GradTarget full, GradTarget other) = broadcasting switch
        {
            Broadcasting.SecondOverRows => (dA, dB),
            Broadcasting.FirstOverRows => (dB, dA),
            _ => dA.IsActive ? (dA, dB) : (dB, dA),
        };
        if (!full.IsActive && !other.IsActive)
        {
            return;
        }
        int cols = result.Dim(-1), rows = OpChecks.Rows(result);
        bool intoFull = full.IsActive && !full.IsAccumulate;
        Span<float> dZ = intoFull ? full.Tensor!.Span : Scratch.Get(0, result.Length);
        bool vector = broadcasting != Broadcasting.None;
        bool otherDone = false;
        if (vector && other.IsActive && ActivationBackward.Fuses(cols, SimdWidths.Best))
        {
            ActivationBackward.Run(gradient, dResult.Span, result.Span, dZ, rows, cols, other.Tensor!.Span, other.IsAccumulate, null);
            otherDone = true;
        }
        else
        {
            Elementwise.Map(gradient, dResult.Span, result.Span, dZ, accumulate: false);
        }
        if (full.IsActive && full.IsAccumulate)
        {
            TensorPrimitives.Add(full.Tensor!.Span, dZ, full.Tensor.Span);
        }
        if (other.IsActive && !otherDone)
        {
            if (vector)
            {
                Reductions.ColumnSums(dZ, rows, cols, other.Tensor!.Span, other.IsAccumulate);
            }
            else
            {
                Grad.Put(other, dZ);
            }
        }
    }

    private static void CheckFusedActivation(FusedActivation activation, OpSite site)
    {
        if (activation is not (FusedActivation.Relu or FusedActivation.Tanh or FusedActivation.Sigmoid))
        {
            throw new ArgumentOutOfRangeException(nameof(activation), activation, $"{site.Describe()}: unknown activation.");
        }
    }
}
