using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>Softmax along the last axis: each row becomes probabilities (max-subtracted, so it never overflows).</summary>
    /// <param name="x">Logits <c>[.., classes]</c>.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    [CustomPullback(nameof(SoftmaxPullback), ForwardInto = nameof(SoftmaxInto))]
    public static Tensor Softmax(Tensor x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        Tensor? result = null;
        SoftmaxInto(ref result, x, OpSite.FromCaller(nameof(Softmax), file, line, nameof(x)));
        return result!;
    }

    /// <summary>Writes the row-wise softmax of x into <paramref name="result"/>.</summary>
    public static void SoftmaxInto(ref Tensor? result, Tensor x, OpSite site)
    {
        Tensor y = ActivationChecks.Output(ref result, x);
        int width = x.Dim(-1);
        for (int start = 0; start < x.Length; start += width)
        {
            // Not TensorPrimitives.SoftMax: it exponentiates without subtracting the row's max, so a logit above
            // ~88 overflows to ∞ and the row becomes NaN.
            ReadOnlySpan<float> row = x.Span.Slice(start, width);
            Span<float> p = y.Span.Slice(start, width);
            float max = TensorPrimitives.Max(row);
            if (float.IsInfinity(max))
            {
                max = 0f; // x − ∞ would turn every finite logit into NaN; let ±∞ propagate instead
            }
            TensorPrimitives.Subtract(row, max, p);
            TensorPrimitives.Exp(p, p);
            TensorPrimitives.Multiply(p, 1f / TensorPrimitives.Sum(p), p);
        }
        Elementwise.Map(new FlushSubnormal(), y.Span, y.Span, accumulate: false); // see FlushSubnormal: keeps later ops off the slow path
    }

    /// <summary>Per row: dX (+)= y ⊙ (dResult − Σ dResult ⊙ y).</summary>
    public static void SoftmaxPullback(Tensor x, Tensor result, Tensor dResult, GradTarget dX, OpSite site)
    {
        if (!ActivationChecks.Backward(x, result, dResult, dX, site))
        {
            return;
        }
        int width = x.Dim(-1);
        for (int start = 0; start < x.Length; start += width)
        {
            ReadOnlySpan<float> dy = dResult.Span.Slice(start, width), y = result.Span.Slice(start, width);
            float d = TensorPrimitives.Dot(dy, y);
            Elementwise.Map(new SoftmaxGradient(d), dy, y, dX.Tensor!.Span.Slice(start, width), dX.IsAccumulate);
        }
    }
}
