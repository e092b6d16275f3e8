using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using AutoGrad.Kernels;

namespace AutoGrad.Probes;

/// <summary>
/// SIMD counts for probes: saturated elements of sigmoid/tanh outputs, dead units of ReLU outputs, exact zeros of a
/// gradient. They run on every probed step, so they must cost a small fraction of the op that produced the values.
/// Each is written once over <see cref="ISimd{TVec}"/> and run at the widest accelerated width, then the next for
/// what is left, then one value at a time; lane bits are counted with popcnt, off the vector pipes.
/// </summary>
internal static unsafe class ActivationCounting
{
    /// <summary>Elements outside (<paramref name="low"/>, <paramref name="high"/>); NaN is not outside.</summary>
    public static long CountOutside(ReadOnlySpan<float> values, float low, float high)
    {
        fixed (float* p = values)
        {
            int i = 0;
            long count = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                count += CountOutside<Simd512, Vector512<float>>(p, values.Length, low, high, ref i);
            }
            if (Vector256.IsHardwareAccelerated)
            {
                count += CountOutside<Simd256, Vector256<float>>(p, values.Length, low, high, ref i);
            }
            for (; i < values.Length; i++)
            {
                if (p[i] < low || p[i] > high) count++;
            }
            return count;
        }
    }

    /// <summary>Units (columns of a [rows, width] output) that are not positive for any row.</summary>
    public static long CountDeadUnits(ReadOnlySpan<float> output, int rows, int width)
    {
        fixed (float* p = output)
        {
            int j = 0;
            long dead = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                dead += CountDeadUnits<Simd512, Vector512<float>>(p, rows, width, ref j);
            }
            if (Vector256.IsHardwareAccelerated)
            {
                dead += CountDeadUnits<Simd256, Vector256<float>>(p, rows, width, ref j);
            }
            for (; j < width; j++)
            {
                bool alive = false;
                for (int r = 0; r < rows && !alive; r++) alive = p[r * width + j] > 0f;
                if (!alive) dead++;
            }
            return dead;
        }
    }

    /// <summary>Values that are exactly zero (either sign).</summary>
    public static long CountZeros(ReadOnlySpan<float> values)
    {
        fixed (float* p = values)
        {
            int i = 0;
            long count = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                count += CountZeros<Simd512, Vector512<float>>(p, values.Length, ref i);
            }
            if (Vector256.IsHardwareAccelerated)
            {
                count += CountZeros<Simd256, Vector256<float>>(p, values.Length, ref i);
            }
            for (; i < values.Length; i++)
            {
                if (p[i] == 0f) count++;
            }
            return count;
        }
    }

    private static long CountOutside<TSimd, TVec>(float* p, int n, float low, float high, ref int i)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        int w = TSimd.Count;
        long count = 0;
        TVec lo = TSimd.Splat(low), hi = TSimd.Splat(high);
        for (; i + w <= n; i += w)
        {
            TVec v = TSimd.Load(p + i);
            count += BitOperations.PopCount(TSimd.GreaterBits(lo, v) | TSimd.GreaterBits(v, hi));
        }
        return count;
    }

    private static long CountDeadUnits<TSimd, TVec>(float* p, int rows, int width, ref int j)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        int w = TSimd.Count;
        ulong all = (1ul << w) - 1; // w ≤ 16
        long dead = 0;
        for (; j + w <= width; j += w)
        {
            ulong alive = 0;
            for (int r = 0; r < rows && alive != all; r++) // stop once every unit of this chunk fired
            {
                alive |= TSimd.GreaterBits(TSimd.Load(p + r * width + j), TSimd.Zero);
            }
            dead += w - BitOperations.PopCount(alive);
        }
        return dead;
    }

    private static long CountZeros<TSimd, TVec>(float* p, int n, ref int i)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        int w = TSimd.Count;
        long count = 0;
        for (; i + w <= n; i += w)
        {
            count += BitOperations.PopCount(TSimd.ZeroBits(TSimd.Load(p + i)));
        }
        return count;
    }
}
