using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>
/// Single-precision matrix multiplication over row-major spans: <c>C = op(A)·op(B) (+ C) (+ bias)</c>, where
/// <c>op(X)</c> is X or Xᵀ. Reading an operand transposed costs nothing extra, so a linear layer's three products
/// (<c>X·Wᵀ</c>, <c>dYᵀ·X</c>, <c>dY·W</c>) run without materializing a transpose.
/// </summary>
/// <remarks>
/// TensorPrimitives has no matrix product, so this is our own: a packed, cache-blocked GEMM with a 6×16 (AVX2) or
/// 8×32 (AVX-512) FMA micro-kernel, a packing-free path for thin or tiny products (batch 1, 2x16 layers), and
/// optional splitting over <see cref="KernelOptions.MaxDegreeOfParallelism"/> threads. For a given shape the result
/// is bit-identical for any thread count. C must not overlap A, B or the bias.
/// </remarks>
public static unsafe class Gemm
{
    /// <summary>Computes <c>C[m,n] = op(A)·op(B)</c>, or adds it to C when <paramref name="accumulate"/>.</summary>
    /// <param name="transposeA">Use Aᵀ: A is stored k×m instead of m×k.</param>
    /// <param name="transposeB">Use Bᵀ: B is stored n×k instead of k×n.</param>
    /// <param name="m">Rows of C and of op(A).</param>
    /// <param name="n">Columns of C and of op(B).</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="a">A, row-major with row stride <paramref name="lda"/>.</param>
    /// <param name="lda">Distance between the starts of A's stored rows.</param>
    /// <param name="b">B, row-major with row stride <paramref name="ldb"/>.</param>
    /// <param name="ldb">Distance between the starts of B's stored rows.</param>
    /// <param name="c">C (m×n), row-major with row stride <paramref name="ldc"/>.</param>
    /// <param name="ldc">Distance between the starts of C's rows.</param>
    /// <param name="accumulate">Add to C's contents (beta = 1) instead of overwriting them (beta = 0).</param>
    /// <param name="bias">Empty, or n floats added to every row of C.</param>
    public static void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc,
        bool accumulate = false, ReadOnlySpan<float> bias = default) =>
        Multiply(
            transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, bias, default, false,
            SimdWidths.Best, KernelOptions.MaxDegreeOfParallelism);

    /// <summary>
    /// The full entry point: also sums each row of op(A) into <paramref name="rowSums"/> (a linear layer's bias
    /// gradient, fused into the packing of dYᵀ), at a chosen vector width and thread count (tests force each).
    /// </summary>
    internal static void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc,
        bool accumulate, ReadOnlySpan<float> bias, Span<float> rowSums, bool accumulateRowSums, SimdWidth width, int degree) =>
        Multiply(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, bias, rowSums, accumulateRowSums, width, degree, null);

    /// <summary>
    /// As above, and also reads C's final values into <paramref name="reading"/> as it stores them when the product runs
    /// on the single-thread packed path (in the micro-kernel's epilogue) or is an outer product (k = 1, a batch-1
    /// weight gradient). Returns whether it did; otherwise the caller reads C in a pass of its own. With
    /// <paramref name="relu"/>, C ends as <c>max(op(A)·op(B) (+ C) (+ bias), 0)</c> (<see cref="GemmProblem.Relu"/>),
    /// the bits of the product followed by <c>TensorPrimitives.Max(c, 0)</c>; not with a reading.
    /// </summary>
    internal static bool Multiply(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc,
        bool accumulate, ReadOnlySpan<float> bias, Span<float> rowSums, bool accumulateRowSums, SimdWidth width, int degree,
        KernelReading* reading, bool relu = false)
    {
        if (relu && reading != null)
        {
            throw new ArgumentException("A product read for a probe cannot also apply a ReLU (the reading is of C's final values).", nameof(relu));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckOperand(a.Length, transposeA ? k : m, transposeA ? m : k, lda, nameof(a));
        CheckOperand(b.Length, transposeB ? n : k, transposeB ? k : n, ldb, nameof(b));
        CheckOperand(c.Length, m, n, ldc, nameof(c));
        CheckBias(bias.Length, n);
        if (rowSums.IsEmpty && width == SimdWidth.V512 && InPlaceOnOneThread(transposeA, transposeB, m, n, k, degree))
        {
            // Straight to the micro-kernel, the path Run would take: a narrow layer's products are a few microseconds
            // each, and building the problem record and passing it down three calls with their large frames cost
            // 0.4–1.0% of the 21-layer tanh step (0.7–1.3% of its probed step; in-process A/B, nine processes).
            fixed (float* pa = a, pb = b, pc = c, pBias = bias)
            {
                GemmPacked.RunInPlace<Simd512, Vector512<float>>(transposeA, m, n, k, pa, lda, pb, ldb, pc, ldc, pBias, accumulate, reading, relu);
            }
            return reading != null;
        }
        if (!rowSums.IsEmpty && rowSums.Length < m)
        {
            throw new ArgumentException($"The row sums have {rowSums.Length} slots but op(A) has {m} rows.", nameof(rowSums));
        }

        fixed (float* pa = a, pb = b, pc = c, pBias = bias, pSums = rowSums)
        {
            var p = new GemmProblem
            {
                TransA = transposeA,
                TransB = transposeB,
                M = m,
                N = n,
                K = k,
                A = pa,
                Lda = lda,
                B = pb,
                Ldb = ldb,
                C = pc,
                Ldc = ldc,
                Accumulate = accumulate,
                Bias = pBias,
                RowSums = pSums,
                AccumulateRowSums = accumulateRowSums,
                Reading = reading,
                Relu = relu,
            };
            return Run(ref p, width, degree);
        }
    }

    /// <summary>
    /// True when <see cref="Run"/> would send the product to <see cref="GemmPacked.RunInPlace{TSimd, TVec}"/> at AVX-512
    /// width: not empty, not small enough for <see cref="GemmDirect"/>, not split over threads, and read in place.
    /// </summary>
    private static bool InPlaceOnOneThread(bool transA, bool transB, int m, int n, int k, int degree) =>
        m > 0 && n > 0 && k > 0
        && !GemmDirect.Suits(transA, transB, m, n, k)
        && !SplitsOverThreads(m, n, k, degree)
        && GemmPacked.ReadsInPlace<Simd512, Vector512<float>>(transB, m, n, k);

    /// <summary>Whether <see cref="Run"/> splits a product of this size over threads (given more than one).</summary>
    private static bool SplitsOverThreads(int m, int n, int k, int degree) =>
        degree > 1 && (long)m * n * k >= KernelOptions.ParallelThreshold;

    /// <summary>Throws when a bias is given with fewer than n values (inlined, as <see cref="CheckOperand"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckBias(int length, int n)
    {
        if (length != 0 && length < n)
        {
            ThrowShortBias(length, n);
        }
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowShortBias(int length, int n) =>
        throw new ArgumentException($"The bias has {length} values but C has {n} columns.", "bias");

    /// <summary>Runs the product; returns whether <see cref="GemmProblem.Reading"/> was taken.</summary>
    private static bool Run(ref GemmProblem p, SimdWidth width, int degree)
    {
        bool read;
        if (p.M == 0 || p.N == 0 || p.K == 0)
        {
            RunDegenerate(ref p);
            read = false;
        }
        else if (GemmDirect.Suits(ref p))
        {
            if (p.RowSums != null)
            {
                GemmRowSums.Compute(ref p);
            }
            read = width switch
            {
                SimdWidth.V512 => GemmDirect.Run<Simd512, Vector512<float>>(ref p),
                SimdWidth.V256 => GemmDirect.Run<Simd256, Vector256<float>>(ref p),
                _ => GemmDirect.Run<Simd128, Vector128<float>>(ref p),
            };
        }
        else if (SplitsOverThreads(p.M, p.N, p.K, degree))
        {
            // Threads would share one reading; a product this large is read afterwards at memory speed instead.
            p.Reading = null;
            GemmParallel.Current.Run(ref p, width, degree);
            return false;
        }
        else
        {
            GemmParallel.RunPacked(width, ref p, 0, p.M, 0, p.N);
            return p.Reading != null;
        }
        // The packed path applies the ReLU to each tile; these paths' kernels do not.
        if (p.Relu)
        {
            ReluPass(p.C, p.Ldc, p.M, p.N);
        }
        return read;
    }

    /// <summary>
    /// <c>max(c, 0)</c> over C's m rows of n, for the direct and degenerate paths, whose kernels do not apply
    /// <see cref="GemmProblem.Relu"/> themselves (the packed and in-place paths do it per tile).
    /// </summary>
    private static void ReluPass(float* c, nint ldc, int m, int n)
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + i * ldc, n);
            System.Numerics.Tensors.TensorPrimitives.Max(row, 0f, row);
        }
    }

    /// <summary>An empty dimension: C is just (C +) bias, and op(A)'s rows sum to zero when k is 0.</summary>
    private static void RunDegenerate(ref GemmProblem p)
    {
        if (p.RowSums != null)
        {
            GemmRowSums.Compute(ref p);
        }
        if (p.K != 0)
        {
            return;
        }
        for (int i = 0; i < p.M; i++)
        {
            var row = new Span<float>(p.C + i * p.Ldc, p.N);
            if (!p.Accumulate)
            {
                row.Clear();
            }
            if (p.Bias != null)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(row, new ReadOnlySpan<float>(p.Bias, p.N), row);
            }
        }
    }

    /// <summary>
    /// Throws unless an operand of <paramref name="length"/> values holds a rows×columns matrix with that row stride.
    /// Takes the length rather than the span, and is inlined: a span handed to a call was copied as an 8-byte pointer
    /// and a 4-byte length and reloaded as 16 bytes, which the store buffer cannot forward, and the three checks per
    /// product waited on it: 0.75% of the probed 21-layer tanh step (in-process A/B, five processes).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckOperand(int length, int rows, int columns, int stride, string name)
    {
        // A matrix without columns (a layer with no inputs) has nothing in its rows, so any stride holds it.
        if (stride < columns || stride < 0 || length < (rows == 0 || columns == 0 ? 0 : (long)(rows - 1) * stride + columns))
        {
            ThrowBadOperand(length, rows, columns, stride, name);
        }
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadOperand(int length, int rows, int columns, int stride, string name)
    {
        if (stride < columns || stride < 0)
        {
            throw new ArgumentOutOfRangeException(
                name, $"The row stride {stride} is less than the {columns} columns stored per row.");
        }
        long needed = (long)(rows - 1) * stride + columns;
        throw new ArgumentException(
            $"A {rows}×{columns} matrix with row stride {stride} needs {needed} values but {name} has {length}.", name);
    }
}
