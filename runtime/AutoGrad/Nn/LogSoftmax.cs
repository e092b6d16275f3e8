using System;
using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>Log-softmax along the last axis, <c>x − max − log Σ exp(x − max)</c>: stable for any logits.</summary>
    /// <param name="x">Logits <c>[.., classes]</c>.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    [CustomPullback(nameof(LogSoftmaxPullback), ForwardInto = nameof(LogSoftmaxInto))]
    public static Tensor LogSoftmax(Tensor x,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "")
    {
        Tensor? result = null;
        LogSoftmaxInto(ref result, x, OpSite.FromCaller(nameof(LogSoftmax), file, line, xExpression));
        return result!;
    }

    /// <summary>Writes the row-wise log-softmax of x into <paramref name="result"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void LogSoftmaxInto(ref Tensor? result, Tensor x, OpSite site)
    {
        Tensor y = ActivationChecks.Output(ref result, x);
        int width = x.Dim(-1);
        for (int start = 0; start < x.Length; start += width)
        {
            RowLogSoftmax(x.Span.Slice(start, width), y.Span.Slice(start, width));
        }
    }

    /// <summary>Per row: dX (+)= dResult − exp(y) · Σ dResult.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void LogSoftmaxPullback(Tensor x, Tensor result, Tensor dResult, GradTarget dX, OpSite site)
    {
        if (!ActivationChecks.Backward(x, result, dResult, dX, site))
        {
            return;
        }
        int width = x.Dim(-1);
        Span<float> p = Scratch.Get(0, width);
        for (int start = 0; start < x.Length; start += width)
        {
            ReadOnlySpan<float> dy = dResult.Span.Slice(start, width);
            TensorPrimitives.Exp(result.Span.Slice(start, width), p);
            float s = TensorPrimitives.Sum(dy);
            Elementwise.Map(new LogSoftmaxGradient(s), dy, p, dX.Tensor!.Span.Slice(start, width), dX.IsAccumulate);
        }
    }

    /// <summary>One row's log-softmax; <paramref name="y"/> doubles as the exp buffer.</summary>
    private static void RowLogSoftmax(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.IsEmpty)
        {
            return;
        }
        float max = TensorPrimitives.Max(x);
        if (float.IsInfinity(max))
        {
            max = 0f; // an infinite max would turn x − max into NaN for finite entries; ±∞ then propagate as they should
        }
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Max(y, -80f, y); // no subnormal exp results (slow on x86); moves the sum by < width·2e-35
        TensorPrimitives.Exp(y, y);
        float logSum = max + MathF.Log(TensorPrimitives.Sum(y));
        TensorPrimitives.Subtract(x, logSum, y);
    }
}
