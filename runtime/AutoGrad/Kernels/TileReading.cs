using System.Runtime.CompilerServices;

namespace AutoGrad.Kernels;

/// <summary>
/// Σc², max|c| and min|c| of one tile of C, accumulated in registers as the micro-kernel's epilogue stores each row,
/// then added to the product's <see cref="KernelReading"/> (an elementwise pass uses it the same way for its input). The two vector columns keep separate accumulators, so each
/// dependent chain is one tile high.
/// </summary>
/// <remarks>
/// max|c| and min|c| compare the bit patterns of |c| as unsigned integers, which order non-negative floats as the
/// floats themselves: the integer min/max run beside the FMA pipes the GEMM keeps busy, where float min/max or
/// vrangeps compete with them. A NaN has the largest pattern, so it shows as max|c| = NaN; its sum is non-finite
/// too, and <see cref="Probes.GradientProbes"/> recounts such a gradient element by element.
/// </remarks>
internal struct TileReading<TSimd, TVec>
    where TSimd : ISimd<TVec>
    where TVec : unmanaged
{
    private TVec _sum0, _sum1, _max0, _max1, _min0, _min1;

    /// <summary>An empty reading (min|c| starts at +∞, above every finite |c|).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TileReading()
    {
        _sum0 = _sum1 = _max0 = _max1 = TSimd.Zero;
        _min0 = _min1 = TSimd.Splat(float.PositiveInfinity);
    }

    /// <summary>Reads one row of the tile: its two vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(TVec v0, TVec v1)
    {
        _sum0 = TSimd.MulAdd(v0, v0, _sum0);
        _sum1 = TSimd.MulAdd(v1, v1, _sum1);
        TVec a0 = TSimd.Abs(v0), a1 = TSimd.Abs(v1);
        _max0 = TSimd.MaxBits(_max0, a0);
        _max1 = TSimd.MaxBits(_max1, a1);
        _min0 = TSimd.MinBits(_min0, a0);
        _min1 = TSimd.MinBits(_min1, a1);
    }

    /// <summary>Reads one vector (into the first column's accumulators): an elementwise pass reading its input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(TVec v)
    {
        _sum0 = TSimd.MulAdd(v, v, _sum0);
        TVec a = TSimd.Abs(v);
        _max0 = TSimd.MaxBits(_max0, a);
        _min0 = TSimd.MinBits(_min0, a);
    }

    /// <summary>Adds this tile to the product's reading (lane by lane; the lanes are folded once at the end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly unsafe void AddTo(KernelReading* reading)
    {
        float* sums = reading->SumOfSquares, maxima = reading->MaxAbs, minima = reading->MinAbs;
        TSimd.Store(sums, TSimd.Add(TSimd.Load(sums), TSimd.Add(_sum0, _sum1)));
        TSimd.Store(maxima, TSimd.MaxBits(TSimd.Load(maxima), TSimd.MaxBits(_max0, _max1)));
        TSimd.Store(minima, TSimd.MinBits(TSimd.Load(minima), TSimd.MinBits(_min0, _min1)));
    }
}
