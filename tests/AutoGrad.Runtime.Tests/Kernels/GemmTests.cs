using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Kernels;
using AutoGrad.Runtime.Tests.Support;
using Xunit;

namespace AutoGrad.Runtime.Tests.Kernels;

public class GemmTests
{
    private static readonly (int M, int N, int K)[] s_shapes =
    {
        (1, 1, 1), (1, 17, 5), (3, 17, 5), (5, 1, 9), (2, 16, 16), (4, 300, 7), (6, 16, 8), (7, 13, 300),
        (17, 3, 40), (33, 65, 3), (65, 33, 31), (13, 50, 257), (150, 40, 20), (128, 784, 64), (64, 128, 784),
        (12, 2100, 9), (40, 40, 40),
        // The packing-free path with rows in pairs and a lone last row, strips, single vectors and scalar columns: an
        // odd row count, and a 10-class output layer's products.
        (7, 83, 3), (32, 64, 10), (10, 64, 32),
        // Whole tiles on every width and small enough to read operands in place (Aᵀ, B): the narrow-layer products.
        (64, 64, 32), (32, 64, 64), (48, 96, 40), (96, 32, 200),
        // Bᵀ narrower than a vector (NT): a 10-class output layer's forward at batch 32, a full vector of 16 columns
        // with 5 rows past the last tile of 8 and an odd k, 3 columns with k near the packing block, one tile of 8.
        (32, 10, 64), (13, 16, 37), (9, 3, 250), (8, 8, 8),
        // Bᵀ above the size from which its packing prefetches rows (N·K > 256 Ki floats), over three k blocks.
        (9, 520, 600),
        // k = 1 (outer products) with odd N, so a transposed B's rows are wider than k: the outer-product path reads
        // op(B) as contiguous and must not take them.
        (3, 17, 1), (2, 33, 1),
    };

    public static IEnumerable<object[]> Cases()
    {
        foreach (var (m, n, k) in s_shapes)
        {
            foreach (bool ta in new[] { false, true })
            {
                foreach (bool tb in new[] { false, true })
                {
                    yield return new object[] { m, n, k, ta, tb };
                }
            }
        }
    }

    public static IEnumerable<object[]> SmallCases()
    {
        foreach (object[] c in Cases())
        {
            if ((int)c[0] * (int)c[1] * (int)c[2] <= 200_000)
            {
                yield return c;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesDoubleProduct_Best(int m, int n, int k, bool transA, bool transB) =>
        CheckAllModes(m, n, k, transA, transB, SimdWidths.Best);

    [Theory]
    [MemberData(nameof(SmallCases))]
    public void MatchesDoubleProduct_Vector128(int m, int n, int k, bool transA, bool transB) =>
        CheckAllModes(m, n, k, transA, transB, SimdWidth.V128);

    [Theory]
    [MemberData(nameof(SmallCases))]
    public void MatchesDoubleProduct_Vector256(int m, int n, int k, bool transA, bool transB) =>
        CheckAllModes(m, n, k, transA, transB, SimdWidth.V256);

    [Theory]
    [MemberData(nameof(SmallCases))]
    public void MatchesDoubleProduct_Vector512(int m, int n, int k, bool transA, bool transB) =>
        CheckAllModes(m, n, k, transA, transB, SimdWidth.V512);

    [Theory]
    [InlineData(256, 512, 64, false, true)]  // split along N (forward X·Wᵀ)
    [InlineData(512, 256, 64, true, false)]  // weight gradient dYᵀ·X with fused row sums
    [InlineData(600, 40, 200, false, false)] // split along M
    [InlineData(257, 129, 130, true, true)]
    public void ParallelDegreesGiveIdenticalBits(int m, int n, int k, bool transA, bool transB)
    {
        float[] single = null!, singleSums = null!;
        foreach (int degree in new[] { 1, 2, 3 })
        {
            var (c, sums) = RunWithSums(m, n, k, transA, transB, SimdWidths.Best, degree);
            if (degree == 1)
            {
                (single, singleSums) = (c, sums);
                continue;
            }
            Assert.Equal(single, c);
            Assert.Equal(singleSums, sums);
        }
    }

    [Theory]
    [InlineData(1, 33, 7, true)]
    [InlineData(13, 50, 257, true)]
    [InlineData(150, 40, 20, true)]
    [InlineData(13, 50, 257, false)]
    [InlineData(64, 128, 5, false)]
    [InlineData(64, 64, 32, true)] // op(A) read in place: the sums are taken apart from packing
    [InlineData(64, 40, 300, false)] // A's rows read in place over two k blocks
    public void RowSumsAreSequentialSumsOfOpARows(int m, int n, int k, bool transA)
    {
        foreach (SimdWidth width in new[] { SimdWidth.V128, SimdWidth.V256, SimdWidths.Best })
        {
            foreach (bool accumulate in new[] { false, true })
            {
                int lda = (transA ? m : k) + 2;
                float[] a = TestRandom.Floats((transA ? k : m) * lda, 11);
                float[] b = TestRandom.Floats(k * n, 12);
                float[] c = new float[m * n];
                float[] sums = accumulate ? TestRandom.Floats(m, 13) : Filled(m, float.NaN);
                float[] expected = accumulate ? (float[])sums.Clone() : new float[m];
                for (int i = 0; i < m; i++)
                {
                    for (int p = 0; p < k; p++)
                    {
                        expected[i] += (float)ReferenceGemm.OpA(a, transA, lda, i, p);
                    }
                }
                Gemm.Multiply(transA, false, m, n, k, a, lda, b, n, c, n, false, default, sums, accumulate, width, 1);
                Assert.Equal(expected, sums);
            }
        }
    }

    [Fact]
    public void ZeroDepthWritesBiasOrKeepsC()
    {
        float[] c = Filled(6, float.NaN);
        float[] bias = { 1, 2, 3 };
        Gemm.Multiply(false, false, 2, 3, 0, ReadOnlySpan<float>.Empty, 1, ReadOnlySpan<float>.Empty, 3, c, 3, false, bias);
        Assert.Equal(new float[] { 1, 2, 3, 1, 2, 3 }, c);
        Gemm.Multiply(false, false, 2, 3, 0, ReadOnlySpan<float>.Empty, 1, ReadOnlySpan<float>.Empty, 3, c, 3, accumulate: true, bias);
        Assert.Equal(new float[] { 2, 4, 6, 2, 4, 6 }, c);
    }

    [Fact]
    public void ShortOperandsAreRejectedBeforeAnyWrite()
    {
        float[] c = Filled(4, 7f);
        var error = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(false, false, 2, 2, 3, new float[5], 3, new float[6], 2, c, 2));
        Assert.Contains("needs 6 values", error.Message);
        Assert.Equal(Filled(4, 7f), c);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Gemm.Multiply(false, false, 2, 2, 3, new float[6], 2, new float[6], 2, c, 2));
    }

    [Fact]
    public void TheInPlacePathRejectsShortOperandsAndBiasesToo()
    {
        // 32×64×64 reads both operands in place: on AVX-512 it goes straight to the micro-kernel after its checks.
        float[] a = Filled(32 * 64, 1f), b = Filled(64 * 64, 1f), c = Filled(32 * 64, 7f);
        var shortC = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(false, false, 32, 64, 64, a, 64, b, 64, c.AsSpan(1), 64));
        Assert.Contains("needs 2048 values but c has 2047", shortC.Message);
        var shortB = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(false, false, 32, 64, 64, a, 64, b.AsSpan(64), 64, c, 64));
        Assert.Contains("needs 4096 values but b has 4032", shortB.Message);
        var shortBias = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(false, false, 32, 64, 64, a, 64, b, 64, c, 64, bias: new float[63]));
        Assert.Contains("The bias has 63 values but C has 64 columns", shortBias.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 32, 64, 64, a, 63, b, 64, c, 64));
        Assert.Equal(Filled(32 * 64, 7f), c);
    }

    public static IEnumerable<object[]> ReluCases()
    {
        // Direct (tiny, batch 1), read in place, packed with edge tiles and several k blocks, A's rows in place over
        // k blocks, and one large enough to split over threads, at every width where the shape allows.
        var shapes = new (int M, int N, int K, bool TransA, bool TransB)[]
        {
            (1, 33, 7, false, true), (3, 10, 5, false, true), (32, 64, 64, false, true), (64, 64, 32, false, false),
            (13, 50, 257, false, true), (64, 40, 300, false, true), (40, 96, 600, true, true), (256, 512, 64, false, true),
            (5, 16, 0, false, false), // k = 0: C is (C +) bias, then the ReLU
        };
        foreach (var (m, n, k, ta, tb) in shapes)
        {
            foreach (int width in new[] { (int)SimdWidth.V128, (int)SimdWidth.V256, (int)SimdWidth.V512 })
            {
                foreach (int degree in new[] { 1, 2 })
                {
                    yield return new object[] { m, n, k, ta, tb, width, degree };
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(ReluCases))]
    public unsafe void ReluGivesTheBitsOfTheProductThenTensorPrimitivesMax(int m, int n, int k, bool transA, bool transB, int width, int degree)
    {
        int lda = Math.Max(1, transA ? m : k), ldb = Math.Max(1, transB ? k : n), ldc = n + 3;
        float[] a = TestRandom.Floats((transA ? k : m) * lda, 31);
        float[] b = TestRandom.Floats((transB ? n : k) * ldb, 32);
        float[] bias = TestRandom.Floats(n, 33);
        // A NaN in op(A)'s last row makes C's last row NaN, which max(·, 0) must keep (with one row, only zeros are checked).
        if (m > 1 && k > 0)
        {
            a[transA ? m - 1 : (m - 1) * lda] = float.NaN;
        }
        foreach (bool accumulate in new[] { false, true })
        {
            float[] expected = TestRandom.Floats(m * ldc, 34), actual = (float[])expected.Clone();
            Gemm.Multiply(transA, transB, m, n, k, a, lda, b, ldb, expected, ldc, accumulate, bias, default, false, (SimdWidth)width, degree);
            for (int i = 0; i < m; i++)
            {
                var row = expected.AsSpan(i * ldc, n);
                System.Numerics.Tensors.TensorPrimitives.Max(row, 0f, row);
            }
            Gemm.Multiply(
                transA, transB, m, n, k, a, lda, b, ldb, actual, ldc, accumulate, bias, default, false, (SimdWidth)width, degree,
                null, relu: true);
            Assert.Equal(
                Array.ConvertAll(expected, BitConverter.SingleToInt32Bits), Array.ConvertAll(actual, BitConverter.SingleToInt32Bits));
            Assert.Contains(actual, v => v == 0f);
            Assert.True(m == 1 || k == 0 || actual.Any(float.IsNaN));
        }
    }

    [Fact]
    public unsafe void ReluWithAReadingIsRefused()
    {
        float[] a = Filled(64 * 64, 1f), b = Filled(64 * 64, 1f), c = new float[64 * 64];
        var reading = new KernelReading();
        bool refused = false;
        try
        {
            Gemm.Multiply(false, false, 64, 64, 64, a, 64, b, 64, c, 64, false, default, default, false, SimdWidths.Best, 1, &reading, relu: true);
        }
        catch (ArgumentException)
        {
            refused = true;
        }
        Assert.True(refused);
        Assert.Equal(new float[64 * 64], c); // refused before any work
    }

    private static void CheckAllModes(int m, int n, int k, bool transA, bool transB, SimdWidth width)
    {
        // Strides wider than the rows catch kernels that assume packed storage.
        int lda = (transA ? m : k) + (m % 3);
        int ldb = (transB ? k : n) + (n % 2);
        int ldc = n + 1;
        float[] a = TestRandom.Floats((transA ? k : m) * lda, 1);
        float[] b = TestRandom.Floats((transB ? n : k) * ldb, 2);
        float[] bias = TestRandom.Floats(n, 3);
        foreach (bool accumulate in new[] { false, true })
        {
            foreach (bool withBias in new[] { false, true })
            {
                // Overwrite must not read C: NaN garbage would leak into the result if it did.
                float[] c = accumulate ? TestRandom.Floats(m * ldc, 4) : Filled(m * ldc, float.NaN);
                float[] before = (float[])c.Clone();
                var (expected, tolerance) = ReferenceGemm.Compute(
                    transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, withBias ? bias : null);
                Gemm.Multiply(
                    transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, withBias ? bias : default,
                    default, false, width, 1);
                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        double error = Math.Abs(c[i * ldc + j] - expected[i * n + j]);
                        if (!(error <= tolerance[i * n + j]))
                        {
                            Assert.Fail(
                                $"C[{i},{j}] = {c[i * ldc + j]} but expected {expected[i * n + j]} " +
                                $"(accumulate {accumulate}, bias {withBias}, width {width})");
                        }
                    }
                    Assert.Equal(before[i * ldc + n], c[i * ldc + n]); // the stride padding stays untouched
                }
            }
        }
    }

    private static (float[] C, float[] Sums) RunWithSums(int m, int n, int k, bool transA, bool transB, SimdWidth width, int degree)
    {
        float[] a = TestRandom.Floats(m * k, 21);
        float[] b = TestRandom.Floats(k * n, 22);
        float[] bias = TestRandom.Floats(n, 23);
        float[] c = TestRandom.Floats(m * n, 24);
        float[] sums = TestRandom.Floats(m, 25);
        Gemm.Multiply(
            transA, transB, m, n, k, a, transA ? m : k, b, transB ? k : n, c, n, true, bias, sums, true, width, degree);
        return (c, sums);
    }

    private static float[] Filled(int count, float value)
    {
        var values = new float[count];
        Array.Fill(values, value);
        return values;
    }
}
