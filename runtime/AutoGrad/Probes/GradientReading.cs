using System;

namespace AutoGrad.Probes;

/// <summary>
/// Where a pullback reports the probe reading of a gradient it produces, so it can take the reading in the pass that
/// writes the gradient (a GEMM's epilogue) rather than have generated code read the finished gradient again. A
/// pullback opts in by ending with one optional <see cref="GradientReading"/> per gradient it computes, in the order
/// of its gradient targets; <c>default</c> reads nothing (docs/contracts.md).
/// </summary>
public readonly struct GradientReading
{
    private readonly GradientProbes? _probes;
    private readonly int _site;

    /// <summary>A reading for <paramref name="site"/> of <paramref name="probes"/>; inactive when probes is null.</summary>
    public GradientReading(GradientProbes? probes, int site)
    {
        _probes = probes;
        _site = site;
    }

    /// <summary>True when the pullback should read and report.</summary>
    public bool IsActive => _probes is not null;

    /// <summary>Reads a finished gradient in a pass of its own (where the producing kernel could not).</summary>
    public void Record(ReadOnlySpan<float> gradient)
    {
        _probes?.RecordGradient(_site, gradient);
    }

    /// <summary>
    /// Reports sums the producing kernel took over <paramref name="gradient"/>'s final values; the probes count zeros
    /// when min|g| is 0 and fall back to an exact pass over <paramref name="gradient"/> when the sums are not finite
    /// or underflowed.
    /// </summary>
    internal void Complete(ReadOnlySpan<float> gradient, ref Kernels.KernelReading sums)
    {
        if (_probes is not null)
        {
            (double sumOfSquares, float maxAbs, float minAbs) = sums.Totals();
            _probes.RecordSums(_site, gradient, sumOfSquares, maxAbs, minAbs);
        }
    }
}
