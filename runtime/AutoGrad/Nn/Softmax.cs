using System;
using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using AutoGrad.Kernels;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>Softmax along the last axis: each row becomes probabilities (max-subtracted, so it never overflows).</summary>
    /// <param name="x">Logits <c>[.., classes]</c>.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    [CustomPullback(nameof(SoftmaxPullback), ForwardInto = nameof(SoftmaxInto))]
    public static Tensor Softmax(Tensor x,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "")
    {
        Tensor? result = null;
        SoftmaxInto(ref result, x, OpSite.FromCaller(nameof(Softmax), file, line, xExpression));
        return result!;
    }

    /// <summary>Writes the row-wise softmax of x into <paramref name="result"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void SoftmaxInto(ref Tensor? result, Tensor x, OpSite site)
    {
        Tensor y = ActivationChecks.Output(ref result, x, site);
        int width = x.Dim(-1);
        for (int start = 0; start < x.Length; start += width)
        {
            // Every probability float can hold, as PyTorch's: a user's loss may take its log (a logit gap of 72 gives
            // 5.4e-32, whose log is −72, not −∞), so none is clamped or flushed to 0.
            RowSoftmax(x.Span.Slice(start, width), y.Span.Slice(start, width), lowestExponent: float.NegativeInfinity);
        }
    }

    /// <summary>
    /// The cross-entropy stores its probabilities below this as 0: they only scale its gradient, where they carry no
    /// weight, and keeping them above the subnormal range even after later scaling (by 1/batch in its pullback) keeps
    /// every op that reads them on the fast path. <see cref="Softmax"/>'s own results are not flushed.
    /// </summary>
    private const float ProbabilityFloor = 1e-30f;

    /// <summary>
    /// One row's softmax, max-subtracted (TensorPrimitives.SoftMax is not: a logit above ~88 overflows and the row
    /// turns NaN). Exponents are clamped at <paramref name="lowestExponent"/>: the cross-entropy's −80 keeps every exp
    /// result out of the subnormal range, changing the row sum by less than width·2·10⁻³⁵ (and the probabilities of
    /// entries more than 80 below the max, which only its gradient reads). Returns log Σ exp(x), the log-sum-exp the
    /// cross-entropy needs.
    /// </summary>
    internal static float RowSoftmax(ReadOnlySpan<float> x, Span<float> p, float lowestExponent = -80f)
    {
        if (x.IsEmpty)
        {
            return float.NegativeInfinity;
        }
        float max = TensorPrimitives.Max(x);
        if (float.IsInfinity(max))
        {
            max = 0f; // x − ∞ would turn every finite logit into NaN; let ±∞ propagate instead
        }
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported && x.Length >= Vector128<float>.Count && x.Length <= Vector512<float>.Count)
        {
            return max + MathF.Log(ShortRowExp(x, p, max, lowestExponent));
        }
        TensorPrimitives.Subtract(x, max, p);
        TensorPrimitives.Max(p, lowestExponent, p);
        TensorPrimitives.Exp(p, p);
        float sum = TensorPrimitives.Sum(p);
        TensorPrimitives.Multiply(p, 1f / sum, p);
        return max + MathF.Log(sum);
    }

    /// <summary>
    /// A row of 4 to 16 values (a 10-class output): the shift, clamp, exp and scaling in one register, with the same
    /// bits as the TensorPrimitives calls of the general path: the lanes compute TensorPrimitives' vector exp, and the
    /// sum is still TensorPrimitives.Sum, whose order the loss's last bits depend on (below four values
    /// TensorPrimitives takes a scalar exp with other bits, so those rows keep the general path). The six calls had
    /// cost 0.7–0.9% of the 21-layer tanh network's step. Returns Σ exp.
    /// </summary>
    private static unsafe float ShortRowExp(ReadOnlySpan<float> x, Span<float> p, float max, float lowestExponent)
    {
        Vector512<float> lanes = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(x.Length)).AsSingle();
        fixed (float* px = x, pp = p)
        {
            Vector512<float> shifted = Avx512F.MaskLoad(px, lanes, Vector512<float>.Zero) - Vector512.Create(max);
            Vector512<float> e = Vector512.Exp(Vector512.Max(shifted, Vector512.Create(lowestExponent)));
            Avx512F.MaskStore(pp, lanes, e);
            float sum = TensorPrimitives.Sum(p);
            Avx512F.MaskStore(pp, lanes, e * Vector512.Create(1f / sum));
            return sum;
        }
    }

    /// <summary>Per row: dX (+)= y ⊙ (dResult − Σ dResult ⊙ y).</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
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
