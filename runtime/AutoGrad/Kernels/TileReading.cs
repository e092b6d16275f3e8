using System.Runtime.CompilerServices;

namespace AutoGrad.Kernels;

/// <summary>
/// Σc², max|c| and min|c| of one tile of C, accumulated in registers as the micro-kernel's epilogue stores each row,
/// then added to the product's <see cref="KernelReading"/> (an elementwise pass uses it the same way for its input).
/// The two vector columns keep separate sums, so each sum chain is one tile high.
/// </summary>
/// <remarks>
/// Each row's two vectors are first reduced to their larger and smaller magnitudes (one vrangeps each with AVX-512), so
/// a row costs two FMAs and four other operations, the least for an exact max and min. The magnitudes are accumulated
/// with integer max and min (float max and min cost 0.3–0.4% more of the 21-layer tanh step, alternating in one
/// process; |c| and integer max and min of every vector cost more still).
/// NaN lanes may be lost from max|c| and min|c|, but never from the sum, and <see cref="Probes.GradientProbes"/> recounts a
/// gradient with a non-finite sum element by element.
/// </remarks>
internal struct TileReading<TSimd, TVec>
    where TSimd : ISimd<TVec>
    where TVec : unmanaged
{
    private TVec _sum0, _sum1, _max, _min;

    /// <summary>An empty reading (min|c| starts at +∞, above every finite |c|).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TileReading()
    {
        _sum0 = _sum1 = _max = TSimd.Zero;
        _min = TSimd.Splat(float.PositiveInfinity);
    }

    /// <summary>Reads one row of the tile: its two vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(TVec v0, TVec v1)
    {
        _sum0 = TSimd.MulAdd(v0, v0, _sum0);
        _sum1 = TSimd.MulAdd(v1, v1, _sum1);
        _max = TSimd.MaxOfMagnitudes(_max, TSimd.MaxOfAbs(v0, v1));
        _min = TSimd.MinOfMagnitudes(_min, TSimd.MinOfAbs(v0, v1));
    }

    /// <summary>Reads one vector (into the first column's accumulators): an elementwise pass reading its input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(TVec v)
    {
        _sum0 = TSimd.MulAdd(v, v, _sum0);
        _max = TSimd.MaxAbs(_max, v);
        _min = TSimd.MinAbs(_min, v);
    }

    /// <summary>Adds this tile to the product's reading (lane by lane; the lanes are folded once at the end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly unsafe void AddTo(KernelReading* reading)
    {
        float* sums = reading->SumOfSquares, maxima = reading->MaxAbs, minima = reading->MinAbs;
        TSimd.Store(sums, TSimd.Add(TSimd.Load(sums), TSimd.Add(_sum0, _sum1)));
        TSimd.Store(maxima, TSimd.MaxNative(TSimd.Load(maxima), _max));
        TSimd.Store(minima, TSimd.MinNative(TSimd.Load(minima), _min));
    }
}
