using System;
using System.Linq;
using AutoGrad.Kernels;
using AutoGrad.Runtime.Tests.Support;
using Xunit;

namespace AutoGrad.Runtime.Tests.Kernels;

/// <summary>
/// The reading a GEMM takes of C in its epilogue (whole tiles from the micro-kernel's accumulators, edge tiles after
/// they are merged) against Σc², max|c| and min|c| computed from the finished C, at every vector width.
/// </summary>
public class GemmReadingTests
{
    [Theory]
    [InlineData(64, 64, 32, true, false)]  // whole tiles, op(A) read in place: the weight gradient of a 64-wide layer
    [InlineData(40, 50, 70, true, false)]  // short and narrow edge tiles
    [InlineData(48, 96, 24, false, false)] // whole tiles at every width (6 and 8 rows, 16 and 32 columns)
    [InlineData(30, 37, 300, false, true)] // several k blocks: only the last one is read
    public unsafe void ReadingEqualsTheFinishedProduct(int m, int n, int k, bool transA, bool accumulate)
    {
        // The largest |c| lands in the first or second vector of a tile row at each width.
        foreach ((SimdWidth width, int maxColumn) in new[] { 3, 12, 20 }.SelectMany(column =>
            new[] { SimdWidth.V128, SimdWidth.V256, SimdWidth.V512 }.Select(w => (w, column))))
        {
            int lda = transA ? m : k;
            float[] a = TestRandom.Floats((transA ? k : m) * lda, 21);
            float[] b = TestRandom.Floats(k * n, 22);
            for (int p = 0; p < k; p++)
            {
                b[p * n + 5] = 0f; // C's column 5 is exactly zero (unless accumulating onto C)
            }
            for (int p = 0; p < k; p++)
            {
                b[p * n + maxColumn] = 3f; // max|c| in this column
            }
            float[] c = accumulate ? TestRandom.Floats(m * n, 23) : new float[m * n];
            var reading = new KernelReading();

            bool read = Gemm.Multiply(transA, false, m, n, k, a, lda, b, n, c, n, accumulate, default, default, false, width, 1, &reading);

            Assert.True(read, $"{width}: the single-thread packed path reads C");
            (double sum, float max, float min) = reading.Totals();
            double expected = c.Sum(v => (double)v * v);
            Assert.True(Math.Abs(sum - expected) <= 1e-5 * expected, $"{width}: Σc² {sum}, expected {expected}");
            Assert.Equal(c.Max(MathF.Abs), max);
            Assert.Equal(c.Min(MathF.Abs), min);
            if (!accumulate)
            {
                Assert.Equal(0f, min);
            }
        }
    }
}
