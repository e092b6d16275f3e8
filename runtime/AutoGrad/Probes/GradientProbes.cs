using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using AutoGrad.Kernels;

namespace AutoGrad.Probes;

/// <summary>
/// Where a generated backward pass writes its probe readings. Pass one to the <c>{Method}Gradient</c> overload
/// that takes probes; without it the generated code does no probe work at all. Reuse the instance across steps:
/// recording allocates nothing. One instance per thread: concurrent gradient calls given the same instance mix their
/// readings (they are not locked, so recording costs no synchronization).
/// </summary>
public sealed class GradientProbes
{
    // One record per site rather than one array per quantity: a reading updates most of a site's totals, and with
    // separate arrays each update missed L1 once per array (the backward pass's own data evicts them between layers).
    private readonly SiteTotals[] _sites;

    /// <summary>Creates a readings buffer for one method's layout.</summary>
    public ProbeLayout Layout { get; }

    /// <summary>Creates a readings buffer for <paramref name="layout"/>.</summary>
    public GradientProbes(ProbeLayout layout)
    {
        Layout = layout ?? throw new ArgumentNullException(nameof(layout));
        _sites = new SiteTotals[layout.Count];
    }

    /// <summary>The forward-order index of the first site whose values were non-finite in the last step, or -1.</summary>
    public int FirstNonFiniteSite { get; private set; } = -1;

    /// <summary>For <see cref="FirstNonFiniteSite"/>: true when the op's inputs were all finite, so the op itself
    /// produced the first non-finite value (the culprit), false when it only propagated one.</summary>
    public bool FirstNonFiniteInputsFinite { get; private set; }

    /// <summary>
    /// How many probed gradient calls have filled these probes (each <see cref="Begin"/> counts one): the monitor
    /// tells by it that a step's readings are new rather than an earlier step's.
    /// </summary>
    public long Generation { get; private set; }

    /// <summary>Clears all readings; generated code calls this at the start of each probed gradient call.</summary>
    public void Begin()
    {
        Generation++;
        Array.Clear(_sites);
        FirstNonFiniteSite = -1;
        FirstNonFiniteInputsFinite = false;
    }

    /// <summary>Records a gradient (or adjoint) tensor's values at <paramref name="site"/>.</summary>
    public void RecordGradient(int site, ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            return;
        }
        if (Vector512.IsHardwareAccelerated && values.Length <= ShortGradient && values.Length % Vector512<float>.Count == 0)
        {
            RecordShort(site, values);
            return;
        }
        // One fused SIMD pass gives Σg², max|g| and the zero count (for the dead-gradient fraction) together.
        var kernel = new ProbeReadingKernel();
        for (int start = 0; start < values.Length; start += ProbeReadingKernel.MaxLength)
        {
            kernel.Values = values.Slice(start, Math.Min(ProbeReadingKernel.MaxLength, values.Length - start));
            SimdDispatch.Run(ref kernel, kernel.Values.Length);
        }
        RecordSums(site, values, kernel.SumOfSquares, kernel.MaxAbs, kernel.Zeros);
    }

    /// <summary>The longest gradient <see cref="RecordShort"/> reads (a bias); beyond it the general pass's four sum
    /// chains pay for its setup.</summary>
    private const int ShortGradient = 256;

    /// <summary>
    /// A short gradient, a whole number of vectors long, read with one vector loop: a layer's bias gradient is read
    /// once per layer per step, and the general pass's dispatch over widths and its lane folds cost several times the
    /// reading of 64 values.
    /// </summary>
    private void RecordShort(int site, ReadOnlySpan<float> values)
    {
        ref float first = ref MemoryMarshal.GetReference(values);
        Vector512<float> sum = Vector512<float>.Zero;
        Vector512<uint> max = Vector512<uint>.Zero;
        long zeros = 0;
        for (int i = 0; i < values.Length; i += Vector512<float>.Count)
        {
            Vector512<float> v = Vector512.LoadUnsafe(ref first, (nuint)i);
            sum = Vector512.FusedMultiplyAdd(v, v, sum);
            // |v| as bits: unsigned order is float order for magnitudes, NaN above ∞ (and a NaN is in the sum anyway).
            max = Vector512.Max(max, v.AsUInt32() & Vector512.Create(0x7FFF_FFFFu));
            zeros += BitOperations.PopCount(Vector512.Equals(v, Vector512<float>.Zero).ExtractMostSignificantBits());
        }
        // Folded as integers too (0.05–0.1% of the 21-layer tanh network's probed step, which reads 22 biases).
        float maxAbs = KernelReading.LargestMagnitude(Vector256.Max(max.GetLower(), max.GetUpper()));
        RecordSums(site, values, Vector512.Sum(sum), maxAbs, zeros);
    }

    /// <summary>
    /// Records a gradient whose sums were taken by the kernel that produced it (<see cref="GradientReading"/>). An
    /// ordinary reading (<see cref="KernelReading.IsOrdinary"/>) is added as it is; otherwise exact zeros are counted
    /// only when min|g| says there are some, and the sums are checked as
    /// <see cref="RecordGradient(int, ReadOnlySpan{float})"/> checks its own.
    /// </summary>
    /// <remarks>
    /// The ordinary path skips folding min|g| and the scalar checks: with 43 kernel readings per step, that was 0.3% of
    /// the 21-layer tanh network's step (alternating in one process). Its checks, folds and the site update are inlined
    /// (<see cref="KernelReading.IsOrdinary"/>, <see cref="KernelReading.SumAndMax"/>, <see cref="Accumulate"/>): as
    /// calls, recording that step's 43 readings took 0.74–0.87 µs against 0.47–0.48 µs inlined (alternating rounds).
    /// </remarks>
    internal void RecordKernelReading(int site, ReadOnlySpan<float> values, ref KernelReading sums)
    {
        if (sums.IsOrdinary())
        {
            (double sumOfSquares, float maxAbs) = sums.SumAndMax();
            Accumulate(site, sumOfSquares, maxAbs, 0, values.Length, 0);
            return;
        }
        (double sumSq, float max, float minAbs) = sums.Totals();
        long zeros = sums.CountedZeros >= 0 ? sums.CountedZeros
            : minAbs == 0f || !double.IsFinite(sumSq) ? ActivationCounting.CountZeros(values) : 0;
        RecordSums(site, values, sumSq, max, zeros, sums.LanesMayHaveUnderflowed());
    }

    private void RecordSums(int site, ReadOnlySpan<float> values, double sumSq, float maxAbs, long zeros, bool sumMayHaveUnderflowed = false)
    {
        long nonFinite = 0;
        if (!double.IsFinite(sumSq))
        {
            // Only a non-finite sum can hide non-finite elements, so the count is paid for only then.
            nonFinite = CountNonFinite(values);
            if (nonFinite > 0)
            {
                maxAbs = MaxFiniteMagnitude(values);
            }
            sumSq = SumOfFiniteSquares(values);
        }
        else if (sumMayHaveUnderflowed || (maxAbs > 0 && maxAbs < KernelReading.SmallestSafeMagnitude))
        {
            // Below 2⁻⁶⁰ a square may fall under float's normal range: to 0 (every |g| below ~1e-23), or to a subnormal
            // that keeps a few bits (2.7e-23 read 39% high). A vanishing gradient must still read as its true, tiny
            // norm, so sum again in double, where the squares stay exact. From 2⁻⁶⁰ up the lanes' sums hold max|g|²,
            // a normal number, beside which a subnormal square's rounding does not show.
            sumSq = SumOfFiniteSquares(values);
        }
        Accumulate(site, sumSq, maxAbs, nonFinite, values.Length, zeros);
    }

    /// <summary>Records a double-precision gradient at <paramref name="site"/>.</summary>
    /// <remarks>Squares are summed in double: norms from about 1e-154 to 1e154 read exactly; beyond, the square
    /// underflows to 0 or overflows to ∞ (max|g| is kept in double either way).</remarks>
    public void RecordGradient(int site, ReadOnlySpan<double> values)
    {
        double sumSq = 0;
        double maxAbs = 0;
        long nonFinite = 0;
        long zeros = 0;
        foreach (double v in values)
        {
            if (v == 0)
            {
                zeros++;
            }
            if (!double.IsFinite(v))
            {
                nonFinite++;
                continue;
            }
            sumSq += v * v;
            maxAbs = Math.Max(maxAbs, Math.Abs(v));
        }
        Accumulate(site, sumSq, maxAbs, nonFinite, values.Length, zeros);
    }

    /// <summary>Records a scalar gradient at <paramref name="site"/>.</summary>
    public void RecordGradient(int site, double value)
    {
        if (double.IsFinite(value))
        {
            Accumulate(site, value * value, Math.Abs(value), 0, 1, value == 0 ? 1 : 0);
        }
        else
        {
            Accumulate(site, 0, 0, 1, 1, 0);
        }
    }

    /// <summary>
    /// Records an activation's forward output at <paramref name="site"/>, laid out as <paramref name="rows"/>
    /// examples of equal width. Saturating activations count saturated elements; ReLU-family activations count
    /// dead units (a unit that is not positive for any example in the batch).
    /// </summary>
    public void RecordActivation(int site, ReadOnlySpan<float> output, int rows, ActivationKind activation)
    {
        if (output.IsEmpty || rows <= 0)
        {
            return;
        }
        int width = output.Length / rows;
        long flagged = 0;
        long units;
        switch (activation)
        {
            case ActivationKind.Sigmoid:
                units = output.Length;
                flagged = ActivationCounting.CountOutside(output, SaturationThresholds.SigmoidLow, SaturationThresholds.SigmoidHigh);
                break;
            case ActivationKind.Tanh:
                units = output.Length;
                flagged = ActivationCounting.CountOutside(output, -SaturationThresholds.TanhAbs, SaturationThresholds.TanhAbs);
                break;
            case ActivationKind.Relu:
                units = width;
                flagged = ActivationCounting.CountDeadUnits(output, rows, width);
                break;
            default:
                return;
        }
        RecordActivationCounts(site, flagged, units, output.Length);
    }

    /// <summary>Adds an activation reading counted by the op itself (see <see cref="ActivationReading"/>).</summary>
    internal void RecordActivationCounts(int site, long flagged, long units, long outputs)
    {
        ref SiteTotals totals = ref _sites[site];
        totals.Flagged += flagged;
        totals.Units += units;
        totals.Count += outputs;
    }

    /// <summary>Notes that the op at <paramref name="site"/> produced a non-finite value. Only the first call in a
    /// step (in forward order) is kept: that op is where the problem starts.</summary>
    public void NoteNonFinite(int site, bool inputsFinite)
    {
        if (FirstNonFiniteSite < 0 || site < FirstNonFiniteSite)
        {
            FirstNonFiniteSite = site;
            FirstNonFiniteInputsFinite = inputsFinite;
        }
    }

    /// <summary>L2 norm of the values recorded at <paramref name="site"/> (non-finite values excluded).</summary>
    public double L2(int site) => Math.Sqrt(_sites[site].SumOfSquares);

    /// <summary>Root mean square of the values recorded at <paramref name="site"/>.</summary>
    public double Rms(int site) => _sites[site].Count == 0 ? 0 : Math.Sqrt(_sites[site].SumOfSquares / _sites[site].Count);

    /// <summary>Largest finite |value| recorded at <paramref name="site"/>.</summary>
    public double MaxAbs(int site) => _sites[site].MaxAbs;

    /// <summary>Number of NaN or infinite values recorded at <paramref name="site"/>.</summary>
    public long NonFiniteCount(int site) => _sites[site].NonFinite;

    /// <summary>Number of gradient values recorded at <paramref name="site"/> that were exactly zero.</summary>
    public long ZeroCount(int site) => _sites[site].Zeros;

    /// <summary>For gradient sites: the fraction of recorded values that were exactly zero, in [0, 1]. A weight whose
    /// gradient is mostly zero is not learning (dead ReLU units zero whole rows of it).</summary>
    public double ZeroFraction(int site) => _sites[site].Count == 0 ? 0 : (double)_sites[site].Zeros / _sites[site].Count;

    /// <summary>Number of values recorded at <paramref name="site"/>.</summary>
    public long Count(int site) => _sites[site].Count;

    /// <summary>For activation sites: the fraction of saturated elements or dead units, in [0, 1].</summary>
    public double FlaggedFraction(int site) => _sites[site].Units == 0 ? 0 : (double)_sites[site].Flagged / _sites[site].Units;

    /// <summary>
    /// How many times gradients were recorded at <paramref name="site"/> in the last step: once per execution of the
    /// code it probes, so a site inside a loop over time steps is recorded once per time step.
    /// </summary>
    public int RecordCount(int site) => _sites[site].Records;

    /// <summary>
    /// L2 norm of the first record at <paramref name="site"/> in the last step. The backward pass runs in reverse, so
    /// for a site inside a loop over time steps this is the adjoint at the <em>last</em> time step.
    /// </summary>
    public double FirstRecordL2(int site) => Math.Sqrt(_sites[site].FirstRecordSumOfSquares);

    /// <summary>
    /// L2 norm of the most recent record at <paramref name="site"/> in the last step: for a site inside a loop over
    /// time steps, the adjoint at the <em>first</em> time step, after the gradient has crossed every step.
    /// </summary>
    public double LastRecordL2(int site) => Math.Sqrt(_sites[site].LastRecordSumOfSquares);

    /// <summary>Sum over sites of kind <see cref="ProbeKind.Parameter"/> of the squared L2 norms: the squared
    /// global gradient norm used for clipping, with no extra pass over the gradients.</summary>
    public double GlobalSquaredNorm()
    {
        double total = 0;
        for (int i = 0; i < Layout.Count; i++)
        {
            if (Layout.Sites[i].Kind == ProbeKind.Parameter) total += _sites[i].SumOfSquares;
        }
        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Accumulate(int site, double sumSq, double maxAbs, long nonFinite, int count, long zeros)
    {
        ref SiteTotals totals = ref _sites[site];
        if (totals.Records++ == 0) totals.FirstRecordSumOfSquares = sumSq;
        totals.LastRecordSumOfSquares = sumSq;
        totals.Zeros += zeros;
        totals.SumOfSquares += sumSq;
        totals.MaxAbs = Math.Max(totals.MaxAbs, maxAbs);
        totals.NonFinite += nonFinite;
        totals.Count += count;
    }

    private static long CountNonFinite(ReadOnlySpan<float> values)
    {
        long n = 0;
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) n++;
        }
        return n;
    }

    private static float MaxFiniteMagnitude(ReadOnlySpan<float> values)
    {
        float m = 0;
        foreach (float v in values)
        {
            if (float.IsFinite(v)) m = Math.Max(m, Math.Abs(v));
        }
        return m;
    }

    /// <summary>Σ g² over finite values, in double: exact range for float inputs (no overflow, no underflow).</summary>
    private static double SumOfFiniteSquares(ReadOnlySpan<float> values)
    {
        double s = 0;
        foreach (float v in values)
        {
            if (float.IsFinite(v)) s += (double)v * v;
        }
        return s;
    }

    /// <summary>A site's totals for the step (what a gradient reading updates comes first, within one cache line).</summary>
    private struct SiteTotals
    {
        public double SumOfSquares;
        public double FirstRecordSumOfSquares;
        public double LastRecordSumOfSquares;
        public long Count;
        public long Zeros;
        public long NonFinite;
        public double MaxAbs;
        public int Records;
        public long Flagged;
        public long Units;
    }
}
