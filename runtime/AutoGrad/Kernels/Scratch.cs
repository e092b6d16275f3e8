using System;

namespace AutoGrad.Kernels;

/// <summary>
/// Per-thread temporary buffers for pullbacks (e.g. a pre-activation gradient that two GEMMs read). They only grow,
/// so once a shape has been seen a pullback allocates nothing. Each caller uses its own slot; a slot's contents
/// are valid only until the next use of that slot on the same thread. Each starts on a 64-byte boundary
/// (<see cref="AlignedArrays"/>).
/// </summary>
internal static class Scratch
{
    /// <summary>Slots in use. An op uses consecutive slots starting at 0; nested users start higher.</summary>
    public const int Slots = 8;

    // One thread-static object: every pullback asks for scratch, and each thread-static read costs a lookup.
    [ThreadStatic]
    private static Buffers? t_buffers;

    public static Span<float> Get(int slot, int length)
    {
        Buffers buffers = t_buffers ??= new Buffers();
        float[]? data = buffers.Data[slot];
        int offset = buffers.Offset[slot];
        int capacity = data is null ? 0 : data.Length - offset;
        if (capacity < length)
        {
            data = buffers.Data[slot] = AlignedArrays.Allocate(Math.Max(length, capacity * 2), out offset);
            buffers.Offset[slot] = offset;
        }
        return data.AsSpan(offset, length);
    }

    private sealed class Buffers
    {
        public readonly float[]?[] Data = new float[Slots][];
        public readonly int[] Offset = new int[Slots];
    }
}
