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
    /// Reports sums the producing kernel took over <paramref name="gradient"/>'s final values (see
    /// <see cref="GradientProbes.RecordKernelReading"/>).
    /// </summary>
    internal void Complete(ReadOnlySpan<float> gradient, ref Kernels.KernelReading sums)
    {
        _probes?.RecordKernelReading(_site, gradient, ref sums);
    }
}
