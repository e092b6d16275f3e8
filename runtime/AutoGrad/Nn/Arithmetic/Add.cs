using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>Elementwise <c>a + b</c>; b may be a vector [n] added to every row of a [.., n] (a bias).</summary>
    /// <param name="a">The first operand, any shape.</param>
    /// <param name="b">Same shape as a, or a vector as long as a's last axis.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="aExpression">The argument passed as <paramref name="a"/>, as written (filled in by the compiler).</param>
    /// <param name="bExpression">The argument passed as <paramref name="b"/>, as written (filled in by the compiler).</param>
    [CustomPullback(nameof(AddPullback), ForwardInto = nameof(AddInto))]
    public static Tensor Add(Tensor a, Tensor b,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(a))] string aExpression = "",
        [CallerArgumentExpression(nameof(b))] string bExpression = "")
    {
        Tensor? result = null;
        AddInto(ref result, a, b, OpSite.FromCaller(nameof(Add), file, line, aExpression, bExpression));
        return result!;
    }

    /// <summary>Writes <c>a + b</c> into <paramref name="result"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void AddInto(ref Tensor? result, Tensor a, Tensor b, OpSite site)
    {
        bool broadcast = Broadcast.Check(a, b, site);
        Broadcast.Rows(a, b, Tensor.EnsureLike(ref result, a), broadcast, static (x, y, r) => TensorPrimitives.Add(x, y, r));
    }

    /// <summary>dA (+)= dResult; dB (+)= dResult, summed over rows when b was broadcast.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void AddPullback(Tensor a, Tensor b, Tensor result, Tensor dResult, GradTarget dA, GradTarget dB, OpSite site)
    {
        bool broadcast = Broadcast.CheckPullback(a, b, result, dResult, dA, dB, site);
        if (dA.IsActive)
        {
            Grad.Put(dA, dResult.Span);
        }
        if (dB.IsActive)
        {
            if (broadcast)
            {
                Reductions.ColumnSums(dResult.Span, OpChecks.Rows(a), b.Length, dB.Tensor!.Span, dB.IsAccumulate);
            }
            else
            {
                Grad.Put(dB, dResult.Span);
            }
        }
    }
}
