using System;
using System.Runtime.CompilerServices;

namespace AutoGrad.Kernels;

/// <summary>
/// A probe reading of a GEMM's output (Σc², max|c|, min|c|) taken in the epilogue, while each finished tile is still
/// in L1, instead of in a second pass over C after the product. Measured on the 21-layer tanh network it costs about
/// what that second pass did (the three vector operations per 16 values are the cost, not the memory traffic), but it
/// reads each gradient where it is produced. Lanes are kept apart (one slot per lane of the widest vector) and folded
/// once at the end.
/// </summary>
internal unsafe struct GemmReading
{
    /// <summary>Lanes of the widest vector: the accumulators' length.</summary>
    public const int Lanes = 16;

    public fixed float SumOfSquares[Lanes];
    public fixed float MaxAbs[Lanes];
    public fixed float MinAbs[Lanes];
    public double TailSumOfSquares;
    public float TailMaxAbs;
    public float TailMinAbs;

    /// <summary>An empty reading (min|c| starts above every value).</summary>
    public GemmReading()
    {
        TailMinAbs = float.PositiveInfinity;
        for (int i = 0; i < Lanes; i++)
        {
            MinAbs[i] = float.PositiveInfinity;
        }
    }

    /// <summary>Σc², max|c| and min|c| over everything read (min|c| is zero when C holds exact zeros to count).</summary>
    public readonly (double SumOfSquares, float MaxAbs, float MinAbs) Totals()
    {
        double sum = TailSumOfSquares;
        float max = TailMaxAbs, min = TailMinAbs;
        for (int i = 0; i < Lanes; i++)
        {
            sum += SumOfSquares[i];
            max = MathF.Max(max, MaxAbs[i]);
            min = MathF.Min(min, MinAbs[i]);
        }
        return (sum, max, min);
    }

    /// <summary>Reads a finished micro-kernel tile: <paramref name="rows"/> rows of two vectors at <paramref name="c"/>.</summary>
    /// <remarks>
    /// The tile's two vector columns keep separate accumulators, folded once at the end, so each dependent chain is
    /// one tile high and only one operation per accumulator waits on the previous tile.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTile<TSimd, TVec>(GemmReading* reading, float* c, nint ldc, int rows)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        int w = TSimd.Count;
        TVec v0 = TSimd.Load(c), v1 = TSimd.Load(c + w);
        TVec s0 = TSimd.Multiply(v0, v0), s1 = TSimd.Multiply(v1, v1);
        TVec max0 = TSimd.Abs(v0), max1 = TSimd.Abs(v1);
        TVec min0 = max0, min1 = max1;
        for (int r = 1; r < rows; r++)
        {
            v0 = TSimd.Load(c + r * ldc);
            v1 = TSimd.Load(c + r * ldc + w);
            s0 = TSimd.MulAdd(v0, v0, s0);
            s1 = TSimd.MulAdd(v1, v1, s1);
            max0 = TSimd.MaxAbs(max0, v0);
            max1 = TSimd.MaxAbs(max1, v1);
            min0 = TSimd.MinAbs(min0, v0);
            min1 = TSimd.MinAbs(min1, v1);
        }
        float* sums = reading->SumOfSquares, maxima = reading->MaxAbs, minima = reading->MinAbs;
        TSimd.Store(sums, TSimd.Add(TSimd.Load(sums), TSimd.Add(s0, s1)));
        TSimd.Store(maxima, TSimd.MaxNative(TSimd.Load(maxima), TSimd.MaxNative(max0, max1)));
        TSimd.Store(minima, TSimd.MinNative(TSimd.Load(minima), TSimd.MinNative(min0, min1)));
    }

    /// <summary>
    /// Reads a <paramref name="rows"/> × <paramref name="cols"/> block of C narrower than a tile (the last columns): whole
    /// vectors where they fit, then one value at a time. (784 columns leave a 16-wide edge on every row of a 784-input
    /// layer's weight gradient; read one value at a time it cost 1% of that network's step.)
    /// </summary>
    public static void AddNarrow<TSimd, TVec>(GemmReading* reading, float* c, nint ldc, int rows, int cols)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        int w = TSimd.Count, vectorCols = cols - cols % w;
        float* sums = reading->SumOfSquares, maxima = reading->MaxAbs, minima = reading->MinAbs;
        TVec s = TSimd.Load(sums), max = TSimd.Load(maxima), min = TSimd.Load(minima);
        // Locals, not fields: a sum carried through memory would cost a store and a reload per value.
        double tailSum = 0;
        float tailMax = reading->TailMaxAbs, tailMin = reading->TailMinAbs;
        for (int r = 0; r < rows; r++)
        {
            float* row = c + r * ldc;
            for (int j = 0; j < vectorCols; j += w)
            {
                TVec v = TSimd.Load(row + j);
                s = TSimd.MulAdd(v, v, s);
                max = TSimd.MaxAbs(max, v);
                min = TSimd.MinAbs(min, v);
            }
            for (int j = vectorCols; j < cols; j++)
            {
                float v = row[j];
                tailSum += (double)v * v;
                float a = MathF.Abs(v);
                tailMax = a > tailMax ? a : tailMax; // NaN is left out here and caught by the sum's check
                tailMin = a < tailMin ? a : tailMin;
            }
        }
        TSimd.Store(sums, s);
        TSimd.Store(maxima, max);
        TSimd.Store(minima, min);
        reading->TailSumOfSquares += tailSum;
        reading->TailMaxAbs = tailMax;
        reading->TailMinAbs = tailMin;
    }
}
