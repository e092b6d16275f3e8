using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>
/// A probe reading (Σv², max|v|, min|v|) taken by the kernel that produces or consumes the values: a GEMM's epilogue
/// reads each finished tile of C from its accumulators (<see cref="TileReading{TSimd, TVec}"/>), an activation's
/// gradient pass reads the adjoint it loads. Lanes are kept apart (one slot per lane of the widest vector) and folded
/// once at the end. Read from registers, a 64 × 64 weight gradient's reading cost about two thirds of what reloading
/// each stored tile did (0.09 against 0.13–0.14 µs, timed in alternating rounds), which in turn cost about what a
/// second pass over C did.
/// </summary>
internal unsafe struct KernelReading
{
    /// <summary>Lanes of the widest vector: the accumulators' length.</summary>
    public const int Lanes = 16;

    public fixed float SumOfSquares[Lanes];
    public fixed float MaxAbs[Lanes];
    public fixed float MinAbs[Lanes];
    public double TailSumOfSquares;
    public float TailMaxAbs;
    public float TailMinAbs;

    /// <summary>
    /// The exact zeros read, for a kernel that counts them as it reads (the outer product), or −1: then min|v| = 0 tells
    /// the probes there are zeros, and they count them in a pass of their own.
    /// </summary>
    public long CountedZeros;

    /// <summary>An empty reading (min|c| starts above every value).</summary>
    /// <remarks>
    /// Cleared with whole vectors of the width the kernels then load: a vector load that spans several narrower stores
    /// still in the store buffer cannot be forwarded and waits for them to retire (a short pass, like a bias
    /// gradient's, reaches that load within a few cycles). Callers skip the frame's own zeroing
    /// (<see cref="SkipLocalsInitAttribute"/>), so this is the only clearing.
    /// </remarks>
    public KernelReading()
    {
        TailSumOfSquares = 0;
        TailMaxAbs = 0;
        TailMinAbs = float.PositiveInfinity;
        CountedZeros = -1;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float>.Zero.StoreUnsafe(ref SumOfSquares[0]);
            Vector512<float>.Zero.StoreUnsafe(ref MaxAbs[0]);
            Vector512.Create(float.PositiveInfinity).StoreUnsafe(ref MinAbs[0]);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> infinity = Vector256.Create(float.PositiveInfinity);
            Vector256<float>.Zero.StoreUnsafe(ref SumOfSquares[0]);
            Vector256<float>.Zero.StoreUnsafe(ref SumOfSquares[0], 8);
            Vector256<float>.Zero.StoreUnsafe(ref MaxAbs[0]);
            Vector256<float>.Zero.StoreUnsafe(ref MaxAbs[0], 8);
            infinity.StoreUnsafe(ref MinAbs[0]);
            infinity.StoreUnsafe(ref MinAbs[0], 8);
        }
        else
        {
            for (int i = 0; i < Lanes; i += Vector128<float>.Count)
            {
                Vector128<float>.Zero.StoreUnsafe(ref SumOfSquares[0], (nuint)i);
                Vector128<float>.Zero.StoreUnsafe(ref MaxAbs[0], (nuint)i);
                Vector128.Create(float.PositiveInfinity).StoreUnsafe(ref MinAbs[0], (nuint)i);
            }
        }
    }

    /// <summary>Below this a magnitude's square may underflow a float's normal range (2⁻⁶⁰; its square is 2⁻¹²⁰).</summary>
    internal const float SmallestSafeMagnitude = 8.67361738e-19f;

    /// <summary>Above this, sixteen lane sums could overflow a float when folded (2¹²⁰).</summary>
    private const float LargestSafeLaneSum = 1.329228e36f;

    /// <summary>
    /// True when <see cref="SumAndMax"/> is the whole reading: every sum finite and small enough to fold without
    /// overflow, no exact zero read (every lane's min|c| above 0), and no magnitude small enough for its square to
    /// underflow. The probes then record the sums as they are; otherwise they fold <see cref="Totals"/> and check them
    /// against the values (counting zeros or non-finite values, or summing again in double). Readings narrower than
    /// AVX-512 always take that second path.
    /// </summary>
    /// <remarks>
    /// Checked lane by lane, as vectors, so the min|c| lanes are never folded. The underflow test is conservative: the
    /// probes sum again when Σc² &lt; max|c|²/2, and a lane's sum holds its own max|c|², so that can only happen when
    /// max|c| is below 2⁻⁶⁰.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool IsOrdinary()
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            return false;
        }
        Vector512<float> sums = Vector512.LoadUnsafe(ref Unsafe.AsRef(in SumOfSquares[0]));
        Vector512<float> maxima = Vector512.LoadUnsafe(ref Unsafe.AsRef(in MaxAbs[0]));
        Vector512<float> minima = Vector512.LoadUnsafe(ref Unsafe.AsRef(in MinAbs[0]));
        // "Not ≤" also catches NaN sums; unread lanes hold min|c| = +∞ and max|c| = 0, which pass.
        Vector512<float> unusual =
            ~Vector512.LessThanOrEqual(sums, Vector512.Create(LargestSafeLaneSum))
            | Vector512.Equals(minima, Vector512<float>.Zero)
            | TinyLanes(maxima);
        return unusual == Vector512<float>.Zero
            && double.IsFinite(TailSumOfSquares)
            && TailMinAbs != 0
            && (TailMaxAbs == 0 || TailMaxAbs >= SmallestSafeMagnitude);
    }

    /// <summary>
    /// True when a vector lane read a magnitude below 2⁻⁶⁰, whose square may have underflowed the lane's float sum. The
    /// probes then sum again in double: comparing the folded sum with max|c|² cannot tell, because the scalar tail's
    /// double sum stays exact while every lane's squares vanish.
    /// </summary>
    public readonly bool LanesMayHaveUnderflowed()
    {
        if (Vector512.IsHardwareAccelerated)
        {
            return TinyLanes(Vector512.LoadUnsafe(ref Unsafe.AsRef(in MaxAbs[0]))) != Vector512<float>.Zero;
        }
        Vector256<float> low = Vector256.LoadUnsafe(ref Unsafe.AsRef(in MaxAbs[0]));
        Vector256<float> high = Vector256.LoadUnsafe(ref Unsafe.AsRef(in MaxAbs[0]), 8);
        Vector256<float> tiny = Vector256.Create(SmallestSafeMagnitude);
        Vector256<float> flagged =
            (Vector256.GreaterThan(low, Vector256<float>.Zero) & Vector256.LessThan(low, tiny))
            | (Vector256.GreaterThan(high, Vector256<float>.Zero) & Vector256.LessThan(high, tiny));
        return flagged != Vector256<float>.Zero;
    }

    private static Vector512<float> TinyLanes(Vector512<float> maxima) =>
        Vector512.GreaterThan(maxima, Vector512<float>.Zero) & Vector512.LessThan(maxima, Vector512.Create(SmallestSafeMagnitude));

    /// <summary>Σc² and max|c| over everything read (max|c| unspecified when a NaN was read; the sum is then NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly (double SumOfSquares, float MaxAbs) SumAndMax()
    {
        Vector256<float> sums = Halves(in SumOfSquares[0], out Vector256<float> upper) + upper;
        Vector256<uint> maxima = Vector256.Max(Halves(in MaxAbs[0], out Vector256<float> high).AsUInt32(), high.AsUInt32());
        double sum = TailSumOfSquares + Vector256.Sum(sums);
        return (sum, MathF.Max(TailMaxAbs, LargestMagnitude(maxima)));
    }

    /// <summary>
    /// The largest of eight magnitudes held as float bits (unsigned order is float order for non-negative floats, and
    /// a NaN's bits sort above ∞): integer max across the lanes, where a float max that propagates NaN is a chain of
    /// range and fix-up instructions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LargestMagnitude(Vector256<uint> magnitudes)
    {
        Vector128<uint> max4 = Vector128.Max(magnitudes.GetLower(), magnitudes.GetUpper());
        max4 = Vector128.Max(max4, Vector128.Shuffle(max4, Vector128.Create(2u, 3u, 0u, 1u)));
        max4 = Vector128.Max(max4, Vector128.Shuffle(max4, Vector128.Create(1u, 0u, 3u, 2u)));
        return BitConverter.UInt32BitsToSingle(max4.ToScalar());
    }

    /// <summary>Σc², max|c| and min|c| over everything read (min|c| is zero when C holds exact zeros to count).</summary>
    /// <remarks>max|c| and min|c| are unspecified when C holds a NaN; the sum is then non-finite, and the probes recount
    /// such a gradient element by element (see <see cref="TileReading{TSimd, TVec}"/>).</remarks>
    public readonly (double SumOfSquares, float MaxAbs, float MinAbs) Totals()
    {
        (double sum, float max) = SumAndMax();
        Vector256<uint> minima = Vector256.Min(Halves(in MinAbs[0], out Vector256<float> high).AsUInt32(), high.AsUInt32());
        Vector128<uint> min4 = Vector128.Min(minima.GetLower(), minima.GetUpper());
        min4 = Vector128.Min(min4, Vector128.Shuffle(min4, Vector128.Create(2u, 3u, 0u, 1u)));
        min4 = Vector128.Min(min4, Vector128.Shuffle(min4, Vector128.Create(1u, 0u, 3u, 2u)));
        return (sum, max, MathF.Min(TailMinAbs, BitConverter.UInt32BitsToSingle(min4.ToScalar())));
    }

    /// <summary>
    /// The 16 lanes from <paramref name="lanes"/> as two halves, for folding by shuffles (a scalar loop over them
    /// branched on the data and mispredicted). The lanes hold magnitudes, whose bits order as unsigned integers the way
    /// the floats do.
    /// </summary>
    /// <remarks>
    /// With AVX-512, one whole-vector load, the width the kernels stored: a load of half a just-stored vector cannot be
    /// forwarded from the store buffer and waits for every store queued before it (the pass's whole output), which
    /// cost about 30 ns per reading after an elementwise pass.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Halves(in float lanes, out Vector256<float> upper)
    {
        ref float first = ref Unsafe.AsRef(in lanes);
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> all = Vector512.LoadUnsafe(ref first);
            upper = all.GetUpper();
            return all.GetLower();
        }
        upper = Vector256.LoadUnsafe(ref first, 8);
        return Vector256.LoadUnsafe(ref first);
    }

    /// <summary>
    /// Reads <paramref name="rows"/> rows of two vectors at <paramref name="c"/>: an edge tile after it was merged into C
    /// (whole tiles are read in registers by the micro-kernel's epilogue).
    /// </summary>
    public static void AddTile<TSimd, TVec>(KernelReading* reading, float* c, nint ldc, int rows)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        var tile = new TileReading<TSimd, TVec>();
        for (int r = 0; r < rows; r++)
        {
            tile.Add(TSimd.Load(c + r * ldc), TSimd.Load(c + r * ldc + TSimd.Count));
        }
        tile.AddTo(reading);
    }

    /// <summary>
    /// Reads a <paramref name="rows"/> × <paramref name="cols"/> block of C narrower than a tile (the last columns): whole
    /// vectors where they fit, then one value at a time. (784 columns leave a 16-wide edge on every row of a 784-input
    /// layer's weight gradient; read one value at a time it cost 1% of that network's step.)
    /// </summary>
    public static void AddNarrow<TSimd, TVec>(KernelReading* reading, float* c, nint ldc, int rows, int cols)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        int w = TSimd.Count, vectorCols = cols - cols % w;
        var vectors = new TileReading<TSimd, TVec>();
        var tail = new ScalarReading();
        for (int r = 0; r < rows; r++)
        {
            float* row = c + r * ldc;
            for (int j = 0; j < vectorCols; j += w)
            {
                vectors.Add(TSimd.Load(row + j));
            }
            for (int j = vectorCols; j < cols; j++)
            {
                tail.Add(row[j]);
            }
        }
        vectors.AddTo(reading);
        tail.AddTo(reading);
    }
}
