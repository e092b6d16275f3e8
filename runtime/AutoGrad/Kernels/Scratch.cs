using System;

namespace AutoGrad.Kernels;

/// <summary>
/// Per-thread temporary buffers for pullbacks (e.g. a pre-activation gradient that two GEMMs read). They only grow,
/// so once a shape has been seen a pullback allocates nothing. Each caller uses its own slot; a slot's contents
/// are valid only until the next use of that slot on the same thread.
/// </summary>
internal static class Scratch
{
    /// <summary>Slots in use. An op uses consecutive slots starting at 0; nested users start higher.</summary>
    public const int Slots = 8;

    [ThreadStatic]
    private static float[][]? t_buffers;

    public static Span<float> Get(int slot, int length)
    {
        float[][] buffers = t_buffers ??= new float[Slots][];
        float[]? buffer = buffers[slot];
        if (buffer is null || buffer.Length < length)
        {
            buffer = new float[Math.Max(length, (buffer?.Length ?? 0) * 2)];
            buffers[slot] = buffer;
        }
        return buffer.AsSpan(0, length);
    }
}
