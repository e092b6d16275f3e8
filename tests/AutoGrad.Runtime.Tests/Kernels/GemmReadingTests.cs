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

    /// <summary>
    /// A batch-1 weight gradient (k = 1, the outer product) is read as it is written, its exact zeros counted: vector
    /// columns and the scalar tail, overwritten and accumulated, with a zero row and zero columns, a peak in the tail
    /// and (in the second case) a NaN.
    /// </summary>
    [Theory]
    [InlineData(128, 784, false)]
    [InlineData(29, 37, true)]
    [InlineData(300, 5, false)] // narrower than a vector: all tail
    public unsafe void TheOuterProductReadsAndCountsZerosAsItWrites(int m, int n, bool accumulate)
    {
        foreach (SimdWidth width in new[] { SimdWidth.V128, SimdWidth.V256, SimdWidth.V512 })
        {
            foreach (bool withNaN in new[] { false, true })
            {
                float[] a = TestRandom.Floats(m, 51), b = TestRandom.Floats(n, 52);
                a[1] = 0f; // a zero row of C (a dead unit), unless accumulating
                b[2] = 0f; // and a zero column (an input that was 0)
                b[n - 1] = 9f; // the peak, in the last (tail) column
                if (withNaN)
                {
                    b[0] = float.NaN;
                }
                float[] c = accumulate ? TestRandom.Floats(m * n, 53) : new float[m * n];
                var reading = new KernelReading();

                bool read = Gemm.Multiply(true, false, m, n, 1, a, m, b, n, c, n, accumulate, default, default, false, width, 1, &reading);

                Assert.True(read, $"{width}: the outer product reads C");
                Assert.Equal(c.LongCount(v => v == 0f), reading.CountedZeros);
                (double sum, float max, float min) = reading.Totals();
                if (withNaN)
                {
                    Assert.False(double.IsFinite(sum), $"{width}: a NaN in C must make the sum non-finite");
                    continue;
                }
                double expected = c.Sum(v => (double)v * v);
                Assert.True(Math.Abs(sum - expected) <= 1e-5 * expected, $"{width}: Σc² {sum}, expected {expected}");
                Assert.Equal(c.Max(MathF.Abs), max);
                Assert.Equal(c.Min(MathF.Abs), min);
            }
        }
    }

    [Fact]
    public unsafe void ASmallOuterProductIsLeftToTheProbesShortReading()
    {
        float[] a = TestRandom.Floats(16, 61), b = TestRandom.Floats(16, 62), c = new float[256];
        var reading = new KernelReading();
        Assert.False(Gemm.Multiply(true, false, 16, 16, 1, a, 16, b, 16, c, 16, false, default, default, false, SimdWidths.Best, 1, &reading));
    }

    /// <summary>
    /// A product whose values are too small to square in float flags its reading at every width (the probes then sum
    /// again in double), and one of ordinary size does not.
    /// </summary>
    [Theory]
    [InlineData(1e-13f, true)]
    [InlineData(1f, false)]
    public unsafe void TinyProductsFlagTheirReadingsAtEveryWidth(float scale, bool flagged)
    {
        foreach (SimdWidth width in new[] { SimdWidth.V128, SimdWidth.V256, SimdWidth.V512 })
        {
            float[] a = TestRandom.Floats(40 * 70, 41, scale), b = TestRandom.Floats(40 * 50, 42, scale);
            float[] c = new float[70 * 50];
            var reading = new KernelReading();
            Assert.True(Gemm.Multiply(true, false, 70, 50, 40, a, 70, b, 50, c, 50, false, default, default, false, width, 1, &reading));
            Assert.Equal(flagged, reading.LanesMayHaveUnderflowed());
        }
    }

    /// <summary>
    /// A reading is ordinary (recorded without looking at the values again) only when nothing in it needs the values:
    /// a zero to count, a non-finite value, a sum that could overflow when folded, a square that could have underflowed,
    /// in the vector lanes or in the scalar tail.
    /// </summary>
    [Theory]
    [InlineData(16, -1, 0.5f, true)]
    [InlineData(17, -1, 0.5f, true)]      // a one-value scalar tail
    [InlineData(16, 3, 0f, false)]        // an exact zero
    [InlineData(17, 16, 0f, false)]       // an exact zero in the tail
    [InlineData(16, 7, float.NaN, false)]
    [InlineData(17, 16, float.NaN, false)]
    [InlineData(16, 2, 1e-20f, false)]    // its square underflows float
    [InlineData(17, 16, 1e-20f, false)]
    [InlineData(16, 9, 3e37f, false)]     // its square overflows float
    [InlineData(16, 9, 2e18f, false)]     // a lane sum above 2^120: sixteen of them could overflow the fold
    [InlineData(16, 9, 1e17f, true)]
    public unsafe void OnlyReadingsThatNeedNoRecountAreOrdinary(int length, int index, float value, bool ordinary)
    {
        float[] values = TestRandom.Floats(length, 31).Select(v => v + MathF.CopySign(0.1f, v)).ToArray();
        if (index >= 0)
        {
            values[index] = value;
        }
        var reading = new KernelReading();
        fixed (float* p = values)
        {
            KernelReading.AddNarrow<Simd512, System.Runtime.Intrinsics.Vector512<float>>(&reading, p, 0, 1, length);
        }
        Assert.Equal(ordinary && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated, reading.IsOrdinary());
        if (reading.IsOrdinary())
        {
            (double sum, float max, _) = reading.Totals();
            Assert.Equal((sum, max), reading.SumAndMax());
            Assert.Equal(values.Sum(v => (double)v * v), sum, values.Sum(v => (double)v * v) * 1e-6);
            Assert.Equal(values.Max(MathF.Abs), max);
        }
    }
}
