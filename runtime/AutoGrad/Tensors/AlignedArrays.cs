using System;

namespace AutoGrad;

/// <summary>
/// Float arrays whose usable part starts on a 64-byte boundary (a cache line, one <c>Vector512</c>), for the buffers
/// kernels stream through. A managed array's elements start 16 bytes into the object, so full-width vector loads
/// and stores over an ordinary <c>float[]</c> straddle cache lines.
/// </summary>
internal static class AlignedArrays
{
    /// <summary>Bytes of alignment.</summary>
    public const int Alignment = 64;

    /// <summary>
    /// A zeroed array with room for <paramref name="length"/> floats from <paramref name="offset"/> on, where
    /// <paramref name="offset"/> is the first 64-byte-aligned element. The array is allocated on the pinned object heap,
    /// which never moves it, so the offset stays aligned for the array's lifetime.
    /// </summary>
    public static unsafe float[] Allocate(int length, out int offset)
    {
        const int Slack = Alignment / sizeof(float) - 1;
        float[] data = GC.AllocateArray<float>(length + Slack, pinned: true);
        fixed (float* start = data)
        {
            int misalignment = (int)((nint)start & (Alignment - 1));
            offset = misalignment == 0 ? 0 : (Alignment - misalignment) / sizeof(float);
        }
        return data;
    }
}
