using System;
using System.Runtime.CompilerServices;

namespace AutoGrad.Kernels;

/// <summary>
/// The packing buffers of one thread. They live as long as the thread and only grow, so a training step allocates
/// nothing once every shape has been seen. Buffers are pinned (pinned object heap) and 64-byte aligned, so packed
/// panels start on cache lines and the micro-kernel's loads never split one.
/// </summary>
internal sealed unsafe class GemmWorkspace
{
    /// <summary>Floats past the end that packers may overwrite (they store whole vectors over short panels).</summary>
    private const int Slack = 64;

    [ThreadStatic]
    private static GemmWorkspace? t_current;

    private float[] _a = Array.Empty<float>();
    private float[] _b = Array.Empty<float>();
    private float* _aPtr;
    private float* _bPtr;
    private int _aCapacity;
    private int _bCapacity;

    public static GemmWorkspace Current => t_current ??= new GemmWorkspace();

    /// <summary>A buffer for <paramref name="floats"/> packed floats of op(A).</summary>
    public float* PackedA(int floats)
    {
        if (floats > _aCapacity)
        {
            _aPtr = Grow(ref _a, floats);
            _aCapacity = floats;
        }
        return _aPtr;
    }

    /// <summary>A buffer for <paramref name="floats"/> packed floats of op(B).</summary>
    public float* PackedB(int floats)
    {
        if (floats > _bCapacity)
        {
            _bPtr = Grow(ref _b, floats);
            _bCapacity = floats;
        }
        return _bPtr;
    }

    /// <summary>
    /// Scratch for one micro-kernel tile (the largest: 8 × 32 floats), where edge tiles are computed before being
    /// merged into C. Kept here rather than on the stack: a stackalloc is zeroed on every product.
    /// </summary>
    public float* EdgeTile => _edgeTile != null ? _edgeTile : _edgeTile = Grow(ref _edge, GemmMicroKernel.MaxRows * 2 * 16);

    private float[] _edge = Array.Empty<float>();
    private float* _edgeTile;

    private static float* Grow(ref float[] array, int floats)
    {
        array = AlignedArrays.Allocate(floats + Slack, out int offset);
        return (float*)Unsafe.AsPointer(ref array[offset]);
    }
}
