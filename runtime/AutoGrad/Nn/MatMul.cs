using System.ComponentModel;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>Matrix product <c>a·b</c>.</summary>
    /// <param name="a"><c>[m, k]</c>.</param>
    /// <param name="b"><c>[k, n]</c>.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="aExpression">The argument passed as <paramref name="a"/>, as written (filled in by the compiler).</param>
    /// <param name="bExpression">The argument passed as <paramref name="b"/>, as written (filled in by the compiler).</param>
    /// <returns><c>[m, n]</c>.</returns>
    [CustomPullback(nameof(MatMulPullback), ForwardInto = nameof(MatMulInto))]
    public static Tensor MatMul(Tensor a, [Probes.FanIn(0)] Tensor b,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(a))] string aExpression = "",
        [CallerArgumentExpression(nameof(b))] string bExpression = "")
    {
        Tensor? result = null;
        MatMulInto(ref result, a, b, OpSite.FromCaller(nameof(MatMul), file, line, aExpression, bExpression));
        return result!;
    }

    /// <summary>Writes <c>a·b</c> into <paramref name="result"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void MatMulInto(ref Tensor? result, Tensor a, Tensor b, OpSite site)
    {
        CheckMatMul(a, b, site);
        int m = a.Dim(0), k = a.Dim(1), n = b.Dim(1);
        Tensor c = Tensor.EnsureShape(ref result, [m, n]);
        Gemm.Multiply(false, false, m, n, k, a.Span, k, b.Span, n, c.Span, n);
    }

    /// <summary>dA (+)= dResult·bᵀ, dB (+)= aᵀ·dResult, both without forming a transpose.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void MatMulPullback(Tensor a, Tensor b, Tensor result, Tensor dResult, GradTarget dA, GradTarget dB, OpSite site)
    {
        CheckMatMul(a, b, site);
        OpChecks.Result(result, a.Dim(0), b.Dim(1), site);
        OpChecks.ResultGradient(dResult, result, site);
        OpChecks.Gradient(dA, a, site, 0, "a");
        OpChecks.Gradient(dB, b, site, 1, "b");
        int m = a.Dim(0), k = a.Dim(1), n = b.Dim(1);
        if (dA.IsActive)
        {
            Gemm.Multiply(false, true, m, k, n, dResult.Span, n, b.Span, n, dA.Tensor!.Span, k, dA.IsAccumulate);
        }
        if (dB.IsActive)
        {
            Gemm.Multiply(true, false, k, n, m, a.Span, k, dResult.Span, n, dB.Tensor!.Span, n, dB.IsAccumulate);
        }
    }

    private static void CheckMatMul(Tensor a, Tensor b, OpSite site)
    {
        OpChecks.Matrix(a, site, 0, "a", "rows, inner");
        OpChecks.Matrix(b, site, 1, "b", "inner, columns");
        if (a.Dim(1) != b.Dim(0))
        {
            string aName = site.Argument(0, "a"), bName = site.Argument(1, "b");
            throw new ShapeMismatchException(
                site,
                $"{aName} has {a.Dim(1)} columns but {bName} has {b.Dim(0)} rows ({aName} is {a.ShapeString}, {bName} is {b.ShapeString})");
        }
    }
}
