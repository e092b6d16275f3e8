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
        Tensor y = ActivationChecks.Output(ref result, x, site);
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

    /// <summary>
    /// log(1 + s) to float precision for every s ≥ 0. <c>float.LogP1</c> is <c>Log(s + 1)</c>, which gives 0 for any s
    /// below 6e-8; in double, with the correction for the rounding of 1 + s (Goldberg's), it is exact to the last bit.
    /// </summary>
    private static float LogOnePlus(float s)
    {
        double u = 1.0 + s;
        return u == 1.0 ? s : (float)(Math.Log(u) * s / (u - 1.0));
    }

    /// <summary>One row's log-softmax; <paramref name="y"/> doubles as the exp buffer.</summary>
    private static void RowLogSoftmax(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.IsEmpty)
        {
            return;
        }
        int top = TensorPrimitives.IndexOfMax(x); // the first NaN's index if there is one
        float max = x[top];
        bool finiteMax = float.IsFinite(max);
        if (float.IsInfinity(max))
        {
            max = 0f; // an infinite max would turn x − max into NaN for finite entries; ±∞ then propagate as they should
        }
        // Not clamped as the cross-entropy's exponents are: only the sum reads these, and a clamped e⁻⁸⁰ per entry would
        // show in log1p's result (the top entry of [1000, 0, −1000] would be −3.6e-35, not 0).
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Exp(y, y);
        float logSum;
        if (finiteMax)
        {
            // log Σ = log(1 + Σ of the others): the max's own term is exactly 1, and 1 + e⁻²⁰ is 1 in float, so the top
            // entry's −2.06e-9 came out 0 (and [1000, 990]'s −4.54e-5 0.13% off). log1p keeps those digits.
            y[top] = 0f;
            logSum = LogOnePlus(TensorPrimitives.Sum(y));
        }
        else
        {
            logSum = MathF.Log(TensorPrimitives.Sum(y));
        }
        // (x − max) − log Σ, not x − (max + log Σ): the top entries' results are small numbers next to max, and adding
        // max first rounded them away.
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Subtract(y, logSum, y);
    }
}
