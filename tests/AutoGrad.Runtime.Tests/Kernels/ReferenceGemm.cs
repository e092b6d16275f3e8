using System;

namespace AutoGrad.Runtime.Tests.Kernels;

/// <summary>The product the GEMM must match, in plain double loops, with the bound its float result can miss by.</summary>
internal static class ReferenceGemm
{
    public static double OpA(float[] a, bool trans, int lda, int m, int k) => trans ? a[k * lda + m] : a[m * lda + k];

    public static double OpB(float[] b, bool trans, int ldb, int k, int n) => trans ? b[n * ldb + k] : b[k * ldb + n];

    /// <summary>
    /// Expected C and, per element, a tolerance: float rounding over k terms is bounded by about k·ε·Σ|terms|;
    /// 4·sqrt(k+2)·ε·Σ|terms| covers the real (random-walk) error with margin and is far below any wrong term.
    /// </summary>
    public static (double[] Expected, double[] Tolerance) Compute(
        bool transA, bool transB, int m, int n, int k, float[] a, int lda, float[] b, int ldb,
        float[] c, int ldc, bool accumulate, float[]? bias)
    {
        var expected = new double[m * n];
        var tolerance = new double[m * n];
        double eps = Math.Pow(2, -23);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double term = OpA(a, transA, lda, i, p) * OpB(b, transB, ldb, p, j);
                    s += term;
                    magnitude += Math.Abs(term);
                }
                if (accumulate)
                {
                    s += c[i * ldc + j];
                    magnitude += Math.Abs(c[i * ldc + j]);
                }
                if (bias is not null)
                {
                    s += bias[j];
                    magnitude += Math.Abs(bias[j]);
                }
                expected[i * n + j] = s;
                tolerance[i * n + j] = 4 * Math.Sqrt(k + 2) * eps * magnitude + 1e-30;
            }
        }
        return (expected, tolerance);
    }
}
