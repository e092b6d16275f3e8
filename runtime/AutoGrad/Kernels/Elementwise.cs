using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>A per-element function of one input, at every vector width and for the scalar tail.</summary>
internal interface IUnaryOp
{
    float Invoke(float x);
    Vector128<float> Invoke(Vector128<float> x);
    Vector256<float> Invoke(Vector256<float> x);
    Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>A per-element function of two inputs (typically an activation's backward: dY and the saved value).</summary>
internal interface IBinaryOp
{
    float Invoke(float a, float b);
    Vector128<float> Invoke(Vector128<float> a, Vector128<float> b);
    Vector256<float> Invoke(Vector256<float> a, Vector256<float> b);
    Vector512<float> Invoke(Vector512<float> a, Vector512<float> b);
}

/// <summary>A per-element function of three inputs.</summary>
internal interface ITernaryOp
{
    float Invoke(float a, float b, float c);
    Vector128<float> Invoke(Vector128<float> a, Vector128<float> b, Vector128<float> c);
    Vector256<float> Invoke(Vector256<float> a, Vector256<float> b, Vector256<float> c);
    Vector512<float> Invoke(Vector512<float> a, Vector512<float> b, Vector512<float> c);
}

/// <summary>
/// Drivers for our own fused elementwise kernels (the ones TensorPrimitives has no single call for, such as
/// <c>dX += dY·(1 − y²)</c>): one pass, widest accelerated vectors, scalar tail, and either overwrite or
/// accumulate into the destination. Op structs are generic arguments, so the JIT inlines them per width.
/// <c>width</c> defaults to the widest accelerated one; tests force each width (Vector512 runs in software where
/// the CPU lacks it) so every path is checked on every machine.
/// </summary>
internal static unsafe class Elementwise
{
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> a, Span<float> dst, bool accumulate, SimdWidth? width = null)
        where TOp : struct, IUnaryOp
    {
        CheckLengths(a.Length, a.Length, a.Length, dst.Length);
        SimdWidth w = width ?? SimdWidths.Best;
        fixed (float* pa = a, pd = dst)
        {
            int n = dst.Length, i = 0;
            if (w == SimdWidth.V512)
            {
                for (; i + 16 <= n; i += 16)
                {
                    Put(pd + i, op.Invoke(Vector512.Load(pa + i)), accumulate);
                }
            }
            if (w >= SimdWidth.V256)
            {
                for (; i + 8 <= n; i += 8)
                {
                    Put(pd + i, op.Invoke(Vector256.Load(pa + i)), accumulate);
                }
            }
            for (; i + 4 <= n; i += 4)
            {
                Put(pd + i, op.Invoke(Vector128.Load(pa + i)), accumulate);
            }
            for (; i < n; i++)
            {
                pd[i] = accumulate ? pd[i] + op.Invoke(pa[i]) : op.Invoke(pa[i]);
            }
        }
    }

    public static void Map<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst, bool accumulate, SimdWidth? width = null)
        where TOp : struct, IBinaryOp
    {
        CheckLengths(a.Length, b.Length, b.Length, dst.Length);
        SimdWidth w = width ?? SimdWidths.Best;
        fixed (float* pa = a, pb = b, pd = dst)
        {
            int n = dst.Length, i = 0;
            if (w == SimdWidth.V512)
            {
                for (; i + 16 <= n; i += 16)
                {
                    Put(pd + i, op.Invoke(Vector512.Load(pa + i), Vector512.Load(pb + i)), accumulate);
                }
            }
            if (w >= SimdWidth.V256)
            {
                for (; i + 8 <= n; i += 8)
                {
                    Put(pd + i, op.Invoke(Vector256.Load(pa + i), Vector256.Load(pb + i)), accumulate);
                }
            }
            for (; i + 4 <= n; i += 4)
            {
                Put(pd + i, op.Invoke(Vector128.Load(pa + i), Vector128.Load(pb + i)), accumulate);
            }
            for (; i < n; i++)
            {
                float v = op.Invoke(pa[i], pb[i]);
                pd[i] = accumulate ? pd[i] + v : v;
            }
        }
    }

    /// <summary>
    /// <c>dst (+)= op(a, b)</c> that also reads <paramref name="a"/> into <paramref name="readingOfA"/> (Σa², max|a|,
    /// min|a|) as it loads it: a pullback's incoming adjoint read for its probe in the pass that consumes it, where a
    /// pass of its own cost a tenth of a 64-wide tanh layer's backward step.
    /// </summary>
    public static void Map<TOp>(
        TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst, bool accumulate, KernelReading* readingOfA,
        SimdWidth? width = null)
        where TOp : struct, IBinaryOp
    {
        CheckLengths(a.Length, b.Length, b.Length, dst.Length);
        SimdWidth w = width ?? SimdWidths.Best;
        fixed (float* pa = a, pb = b, pd = dst)
        {
            int n = dst.Length, i = 0;
            // Each width adds its accumulators to the reading only when it read something: the reading is folded by
            // whole-vector loads right after this pass, and a load that overlaps several narrower stores cannot be
            // forwarded from the store buffer, so it waits until the pass's queued output stores have all retired.
            if (w == SimdWidth.V512 && n >= 16)
            {
                var reading = new TileReading<Simd512, Vector512<float>>();
                for (; i + 32 <= n; i += 32)
                {
                    Vector512<float> va0 = Vector512.Load(pa + i), va1 = Vector512.Load(pa + i + 16);
                    reading.Add(va0, va1);
                    Put(pd + i, op.Invoke(va0, Vector512.Load(pb + i)), accumulate);
                    Put(pd + i + 16, op.Invoke(va1, Vector512.Load(pb + i + 16)), accumulate);
                }
                for (; i + 16 <= n; i += 16)
                {
                    Vector512<float> va = Vector512.Load(pa + i);
                    reading.Add(va);
                    Put(pd + i, op.Invoke(va, Vector512.Load(pb + i)), accumulate);
                }
                reading.AddTo(readingOfA);
            }
            if (w >= SimdWidth.V256 && i + 8 <= n)
            {
                var reading = new TileReading<Simd256, Vector256<float>>();
                for (; i + 8 <= n; i += 8)
                {
                    Vector256<float> va = Vector256.Load(pa + i);
                    reading.Add(va);
                    Put(pd + i, op.Invoke(va, Vector256.Load(pb + i)), accumulate);
                }
                reading.AddTo(readingOfA);
            }
            if (i + 4 <= n)
            {
                var reading128 = new TileReading<Simd128, Vector128<float>>();
                for (; i + 4 <= n; i += 4)
                {
                    Vector128<float> va = Vector128.Load(pa + i);
                    reading128.Add(va);
                    Put(pd + i, op.Invoke(va, Vector128.Load(pb + i)), accumulate);
                }
                reading128.AddTo(readingOfA);
            }
            if (i < n)
            {
                KernelReading.AddNarrow<Simd128, Vector128<float>>(readingOfA, pa + i, 0, 1, n - i);
            }
            for (; i < n; i++)
            {
                float v = op.Invoke(pa[i], pb[i]);
                pd[i] = accumulate ? pd[i] + v : v;
            }
        }
    }

    public static void Map<TOp>(
        TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, Span<float> dst, bool accumulate,
        SimdWidth? width = null)
        where TOp : struct, ITernaryOp
    {
        CheckLengths(a.Length, b.Length, c.Length, dst.Length);
        SimdWidth w = width ?? SimdWidths.Best;
        fixed (float* pa = a, pb = b, pc = c, pd = dst)
        {
            int n = dst.Length, i = 0;
            if (w == SimdWidth.V512)
            {
                for (; i + 16 <= n; i += 16)
                {
                    Put(pd + i, op.Invoke(Vector512.Load(pa + i), Vector512.Load(pb + i), Vector512.Load(pc + i)), accumulate);
                }
            }
            if (w >= SimdWidth.V256)
            {
                for (; i + 8 <= n; i += 8)
                {
                    Put(pd + i, op.Invoke(Vector256.Load(pa + i), Vector256.Load(pb + i), Vector256.Load(pc + i)), accumulate);
                }
            }
            for (; i + 4 <= n; i += 4)
            {
                Put(pd + i, op.Invoke(Vector128.Load(pa + i), Vector128.Load(pb + i), Vector128.Load(pc + i)), accumulate);
            }
            for (; i < n; i++)
            {
                float v = op.Invoke(pa[i], pb[i], pc[i]);
                pd[i] = accumulate ? pd[i] + v : v;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* d, Vector128<float> v, bool accumulate) => (accumulate ? v + Vector128.Load(d) : v).Store(d);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* d, Vector256<float> v, bool accumulate) => (accumulate ? v + Vector256.Load(d) : v).Store(d);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* d, Vector512<float> v, bool accumulate) => (accumulate ? v + Vector512.Load(d) : v).Store(d);

    private static void CheckLengths(int a, int b, int c, int dst)
    {
        if (a != dst || b != dst || c != dst)
        {
            throw new ArgumentException($"Elementwise operands have lengths {a}, {b}, {c} but the destination has {dst}.");
        }
    }
}
