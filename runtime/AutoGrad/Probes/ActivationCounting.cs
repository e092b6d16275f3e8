using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Probes;

/// <summary>
/// SIMD counts for activation probes: saturated elements of sigmoid/tanh outputs and dead units of ReLU outputs.
/// They run on every probed step, so they must cost a small fraction of the op that produced the output.
/// </summary>
internal static class ActivationCounting
{
    /// <summary>Elements outside (<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static long CountOutside(ReadOnlySpan<float> values, float low, float high)
    {
        long count = 0;
        int i = 0;
        if (Vector512.IsHardwareAccelerated && values.Length >= Vector512<float>.Count)
        {
            // Two vectors' lane bits per popcnt: the count stays on the integer units.
            ref float start = ref MemoryMarshal.GetReference(values);
            Vector512<float> lo = Vector512.Create(low), hi = Vector512.Create(high);
            for (; i <= values.Length - 2 * Vector512<float>.Count; i += 2 * Vector512<float>.Count)
            {
                Vector512<float> a = Vector512.LoadUnsafe(ref start, (nuint)i);
                Vector512<float> b = Vector512.LoadUnsafe(ref start, (nuint)(i + Vector512<float>.Count));
                ulong outsideA = (Vector512.LessThan(a, lo) | Vector512.GreaterThan(a, hi)).ExtractMostSignificantBits();
                ulong outsideB = (Vector512.LessThan(b, lo) | Vector512.GreaterThan(b, hi)).ExtractMostSignificantBits();
                count += BitOperations.PopCount(outsideA | outsideB << Vector512<float>.Count);
            }
        }
        if (Vector256.IsHardwareAccelerated && values.Length - i >= Vector256<float>.Count)
        {
            ref float start = ref MemoryMarshal.GetReference(values);
            Vector256<float> lo = Vector256.Create(low), hi = Vector256.Create(high);
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref start, (nuint)i);
                Vector256<float> outside = Vector256.LessThan(v, lo) | Vector256.GreaterThan(v, hi);
                count += BitOperations.PopCount(outside.ExtractMostSignificantBits());
            }
        }
        for (; i < values.Length; i++)
        {
            if (values[i] < low || values[i] > high) count++;
        }
        return count;
    }

    /// <summary>Units (columns of a [rows, width] output) that are not positive for any row.</summary>
    public static long CountDeadUnits(ReadOnlySpan<float> output, int rows, int width)
    {
        long dead = 0;
        int j = 0;
        if (Vector512.IsHardwareAccelerated && width >= Vector512<float>.Count)
        {
            ref float start = ref MemoryMarshal.GetReference(output);
            for (; j <= width - Vector512<float>.Count; j += Vector512<float>.Count)
            {
                Vector512<float> alive = Vector512<float>.Zero;
                for (int r = 0; r < rows; r++)
                {
                    alive |= Vector512.GreaterThan(Vector512.LoadUnsafe(ref start, (nuint)(r * width + j)), Vector512<float>.Zero);
                    if (alive.ExtractMostSignificantBits() == 0xFFFFu) break; // every unit of this chunk fired
                }
                dead += Vector512<float>.Count - BitOperations.PopCount(alive.ExtractMostSignificantBits());
            }
        }
        if (Vector256.IsHardwareAccelerated && width - j >= Vector256<float>.Count)
        {
            ref float start = ref MemoryMarshal.GetReference(output);
            for (; j <= width - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                Vector256<float> alive = Vector256<float>.Zero;
                for (int r = 0; r < rows; r++)
                {
                    alive |= Vector256.GreaterThan(Vector256.LoadUnsafe(ref start, (nuint)(r * width + j)), Vector256<float>.Zero);
                    if (alive.ExtractMostSignificantBits() == 0xFFu) break; // every unit of this chunk fired
                }
                dead += Vector256<float>.Count - BitOperations.PopCount(alive.ExtractMostSignificantBits());
            }
        }
        for (; j < width; j++)
        {
            bool alive = false;
            for (int r = 0; r < rows && !alive; r++) alive = output[r * width + j] > 0f;
            if (!alive) dead++;
        }
        return dead;
    }
}
