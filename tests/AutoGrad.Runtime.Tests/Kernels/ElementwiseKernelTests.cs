using System;
using System.Linq;
using AutoGrad.Kernels;
using AutoGrad.Runtime.Tests.Support;
using Xunit;

namespace AutoGrad.Runtime.Tests.Kernels;

/// <summary>
/// Our own elementwise kernels at every vector width (Vector512 runs in software where the CPU lacks it) against
/// their scalar form, for lengths that exercise each loop and the scalar tail, overwriting and accumulating.
/// </summary>
public class ElementwiseKernelTests
{
    /// <summary>Widths as ints: <see cref="SimdWidth"/> is internal, and theory parameters must be public types.</summary>
    public static TheoryData<int, int> Widths()
    {
        var data = new TheoryData<int, int>();
        foreach (int w in new[] { (int)SimdWidth.V128, (int)SimdWidth.V256, (int)SimdWidth.V512 })
        {
            foreach (int n in new[] { 1, 3, 7, 16, 37, 100 })
            {
                data.Add(w, n);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void BinaryKernelsMatchTheirScalarForm(int widthIndex, int n)
    {
        var width = (SimdWidth)widthIndex;
        Check(new SigmoidGradient(), width, n);
        Check(new TanhGradient(), width, n);
        Check(new ReluGradient(), width, n);
        Check(new LeakyReluGradient(0.05f), width, n);
        Check(new EluForward(1.05f, 1.67f), width, n);
        Check(new SoftmaxGradient(0.3f), width, n);
        Check(new LogSoftmaxGradient(-0.7f), width, n);
        Check(new NormalizedInputGradient(0.1f, -0.2f, 1.3f), width, n);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void UnaryAndTernaryKernelsMatchTheirScalarForm(int widthIndex, int n)
    {
        var width = (SimdWidth)widthIndex;
        float[] a = TestRandom.Floats(n, 1, 4f), b = TestRandom.Floats(n, 2), c = TestRandom.Floats(n, 3);
        foreach (bool accumulate in new[] { false, true })
        {
            float[] start = TestRandom.Floats(n, 4);
            float[] gelu = (float[])start.Clone(), leaky = (float[])start.Clone(), silu = (float[])start.Clone(), geluGrad = (float[])start.Clone();
            float[] elu = (float[])start.Clone(), softplus = (float[])start.Clone();
            Elementwise.Map(new GeluForward(), a, gelu, accumulate, width);
            Elementwise.Map(new LeakyReluForward(0.1f), a, leaky, accumulate, width);
            float[] tiny = a.Select((v, i) => i % 3 == 0 ? v * 1e-39f : i % 3 == 1 ? float.NaN : v).ToArray();
            float[] flushed = new float[n];
            Elementwise.Map(new ZeroBelow(1.17549435E-38f), tiny, flushed, accumulate: false, width);
            Elementwise.Map(new SiluGradient(), a, b, c, silu, accumulate, width);
            Elementwise.Map(new GeluGradient(), a, b, c, geluGrad, accumulate, width);
            Elementwise.Map(new EluGradient(1.05f, 1.67f), a, b, c, elu, accumulate, width);
            Elementwise.Map(new SoftplusFinish(), a, b, c, softplus, accumulate, width);
            for (int i = 0; i < n; i++)
            {
                float baseValue = accumulate ? start[i] : 0f;
                Assert.Equal(new ZeroBelow(1.17549435E-38f).Invoke(tiny[i]), flushed[i]);
                Assert.False(float.IsSubnormal(flushed[i]));
                Assert.Equal(baseValue + new GeluForward().Invoke(a[i]), gelu[i], 1e-5f);
                Assert.Equal(baseValue + new LeakyReluForward(0.1f).Invoke(a[i]), leaky[i], 1e-5f);
                Assert.Equal(baseValue + new SiluGradient().Invoke(a[i], b[i], c[i]), silu[i], 1e-5f);
                Assert.Equal(baseValue + new GeluGradient().Invoke(a[i], b[i], c[i]), geluGrad[i], 1e-5f);
                Assert.Equal(baseValue + new EluGradient(1.05f, 1.67f).Invoke(a[i], b[i], c[i]), elu[i], 1e-5f);
                Assert.Equal(baseValue + new SoftplusFinish().Invoke(a[i], b[i], c[i]), softplus[i], 1e-5f);
            }
        }
    }

    [Fact]
    public void ErfIsAccurateToFloatResolution()
    {
        for (double x = -6; x <= 6; x += 0.01)
        {
            // The series is float-exact to a few ULP below 1; beyond, Abramowitz–Stegun's 3e-7 bound plus rounding.
            float xf = (float)x;
            Assert.InRange(Erf.Evaluate(xf) - Support.Reference.Erf(xf), -4e-7, 4e-7);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 7)]
    [InlineData(9, 40)]
    [InlineData(3, 75)]
    [InlineData(4, 130)]
    public void ColumnSumsMatchDoubleSumsAtEveryWidth(int rows, int cols)
    {
        int ld = cols + 3; // a row stride wider than the row, as for the GEMM's unfused row sums
        float[] src = TestRandom.Floats(rows * ld, 1), weights = TestRandom.Floats(rows * cols, 2);
        foreach (SimdWidth width in new[] { SimdWidth.V128, SimdWidth.V256, SimdWidth.V512 })
        {
            foreach (bool weighted in new[] { false, true })
            {
                float[] dst = TestRandom.Floats(cols, 3), before = (float[])dst.Clone();
                Reductions.ColumnSums(src, ld, weighted ? weights : default, rows, cols, dst, accumulate: true, width);
                for (int j = 0; j < cols; j++)
                {
                    double s = before[j];
                    for (int i = 0; i < rows; i++)
                    {
                        s += src[i * ld + j] * (weighted ? weights[i * cols + j] : 1.0);
                    }
                    Assert.Equal(s, dst[j], 1e-5 * (1 + Math.Abs(s)));
                }
            }
        }
    }

    private static void Check<TOp>(TOp op, SimdWidth width, int n)
        where TOp : struct, IBinaryOp
    {
        float[] a = TestRandom.Floats(n, 1, 3f), b = TestRandom.Floats(n, 2, 3f);
        foreach (bool accumulate in new[] { false, true })
        {
            float[] start = TestRandom.Floats(n, 5);
            float[] dst = (float[])start.Clone();
            Elementwise.Map(op, a, b, dst, accumulate, width);
            for (int i = 0; i < n; i++)
            {
                float expected = (accumulate ? start[i] : 0f) + op.Invoke(a[i], b[i]);
                Assert.True(Math.Abs(expected - dst[i]) <= 1e-6f * (1 + Math.Abs(expected)), $"{typeof(TOp).Name} at {width}, n={n}, [{i}]: {dst[i]} vs {expected}");
            }
        }
    }
}
